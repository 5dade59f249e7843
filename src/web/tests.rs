//! Router tests: every route through `tower::ServiceExt::oneshot`, without a
//! socket — uploads, pages, downloads, decisions, search, batches, rules,
//! assets, the upload limit, the token, escaping and path traversal.

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use super::{AppState, Config, app};
use crate::rules::RuleSet;
use crate::store::Status;

const BOUNDARY: &str = "----fairscanTestBoundary7MA4YWxk";

struct Server {
    app: Router,
    state: AppState,
    _dir: tempfile::TempDir,
}

fn server_with(configure: impl FnOnce(&mut Config)) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(&dir.path().join("data"));
    configure(&mut config);
    let state = AppState::open(config).unwrap();
    Server {
        app: app(state.clone()),
        state,
        _dir: dir,
    }
}

fn server() -> Server {
    server_with(|_| {})
}

/// Sentences the embedded rules must flag (their own examples).
fn flagged_text(n: usize) -> String {
    let mut text = String::from("关于印发若干措施的通知\n");
    for (k, rule) in RuleSet::embedded()
        .rules()
        .filter(|r| !r.examples.flag.is_empty())
        .take(n)
        .enumerate()
    {
        text.push_str(&format!("第{}条 {}\n", k + 1, rule.examples.flag[0]));
    }
    text
}

fn multipart(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn upload_request(uri: &str, files: &[(&str, &[u8])]) -> Request<Body> {
    let body = multipart(files);
    Request::post(uri)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap()
}

async fn send(app: &Router, req: Request<Body>) -> Response<Body> {
    app.clone().oneshot(req).await.unwrap()
}

async fn get(app: &Router, uri: &str) -> Response<Body> {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn bytes(res: Response<Body>) -> Vec<u8> {
    res.into_body().collect().await.unwrap().to_bytes().to_vec()
}

async fn text(res: Response<Body>) -> String {
    String::from_utf8(bytes(res).await).unwrap()
}

async fn json(res: Response<Body>) -> Value {
    serde_json::from_slice(&bytes(res).await).unwrap()
}

fn location(res: &Response<Body>) -> String {
    res.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string()
}

fn post_json(uri: &str, body: &Value) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// Uploads one text file through the API; returns its review id.
async fn upload_text(app: &Router, name: &str, text: &str) -> i64 {
    let res = send(
        app,
        upload_request("/api/check", &[(name, text.as_bytes())]),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let v = json(res).await;
    v["reviews"][0]["id"].as_i64().unwrap()
}

/// The first finding's API id of review `id`.
async fn first_finding(app: &Router, id: i64) -> String {
    let v = json(get(app, &format!("/api/reviews/{id}")).await).await;
    v["review"]["findings"][0]["finding_id"]
        .as_str()
        .expect("the review has a finding")
        .to_string()
}

fn corpus_docx() -> (String, Vec<u8>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/docs");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .min()
        .unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    (name, std::fs::read(&path).unwrap())
}

fn zip_part(bytes: &[u8], name: &str) -> Option<String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut part = zip.by_name(name).ok()?;
    let mut out = String::new();
    part.read_to_string(&mut out).ok()?;
    Some(out)
}

#[tokio::test]
async fn home_redirects_and_the_check_page_has_an_upload_form() {
    let s = server();
    let res = get(&s.app, "/").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/check");
    let res = get(&s.app, "/check").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    let page = text(res).await;
    assert!(page.contains("enctype=\"multipart/form-data\""));
    assert!(page.contains("multiple"));
    assert!(page.contains("<html lang=\"zh-CN\">"));
}

#[tokio::test]
async fn one_upload_lands_on_its_review_with_highlights_and_citations() {
    let s = server();
    let res = send(
        &s.app,
        upload_request("/check", &[("措施.txt", flagged_text(3).as_bytes())]),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(to.starts_with("/reviews/"), "{to}");
    let res = get(&s.app, &to).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = text(res).await;
    assert!(page.contains("<mark class=\"lv-"), "no highlight");
    assert!(
        page.contains("<aside class=\"cite\">"),
        "no margin citation"
    );
    assert!(page.contains("《公平竞争审查条例》第"));
    assert!(page.contains("name=\"reason\" required"));
    for link in ["annotated.docx", "form.docx", "review.json"] {
        assert!(page.contains(&format!("{to}/{link}")), "{link}");
    }
    // The file was kept under uploads/<sha256>/<name>.
    let saved: Vec<PathBuf> = walkdir::WalkDir::new(&s.state.uploads)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    assert_eq!(saved.len(), 1);
    assert!(saved[0].ends_with("措施.txt"));
    assert_eq!(
        saved[0].parent().unwrap().file_name().unwrap().len(),
        64,
        "{saved:?}"
    );
}

#[tokio::test]
async fn several_uploads_are_listed_and_the_reviews_page_shows_them() {
    let s = server();
    let res = send(
        &s.app,
        upload_request(
            "/check",
            &[
                ("一.txt", flagged_text(2).as_bytes()),
                ("二.txt", "第一条 本办法自发布之日起施行。".as_bytes()),
            ],
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = text(res).await;
    assert!(
        page.contains("/reviews/1") && page.contains("/reviews/2"),
        "{page}"
    );
    let list = text(get(&s.app, "/reviews").await).await;
    assert!(list.contains("一.txt") && list.contains("二.txt"));
    let api = json(get(&s.app, "/api/reviews").await).await;
    assert_eq!(api["reviews"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn document_text_and_names_are_escaped_everywhere() {
    let s = server();
    let attack = "<script>alert('x')</script>";
    let body = format!(
        "关于{attack}的通知\n{}第九条 {attack}本地企业优先。\n",
        flagged_text(2)
    );
    let name = "<img src=x onerror=alert(1)>.txt";
    let id = upload_text(&s.app, name, &body).await;
    let pages = [
        format!("/reviews/{id}"),
        "/reviews".to_string(),
        "/search?q=alert".to_string(),
        format!("/batches/{id}"),
    ];
    for uri in pages {
        let res = get(&s.app, &uri).await;
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        let page = text(res).await;
        assert!(!page.contains("<script>alert"), "{uri}: raw script");
        assert!(!page.contains("<img src=x"), "{uri}: raw img");
    }
    let page = text(get(&s.app, &format!("/reviews/{id}")).await).await;
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    // Markup characters are dropped from stored file names.
    assert!(page.contains("img src=x onerror=alert(1).txt"));
}

#[tokio::test]
async fn the_api_checks_files_and_returns_reviews_with_finding_ids() {
    let s = server();
    let res = send(
        &s.app,
        upload_request("/api/check", &[("a.txt", flagged_text(3).as_bytes())]),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let v = json(res).await;
    let r = &v["reviews"][0];
    assert_eq!(r["name"], "a.txt");
    assert!(r["warnings"].as_u64().unwrap() + r["errors"].as_u64().unwrap() > 0);
    let id = r["id"].as_i64().unwrap();
    let v = json(get(&s.app, &format!("/api/reviews/{id}")).await).await;
    let f = &v["review"]["findings"][0];
    assert_eq!(f["status"], "open");
    assert!(
        f["finding_id"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{id}-"))
    );
    assert_eq!(
        get(&s.app, "/api/reviews/999").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&s.app, "/reviews/abc").await.status(),
        StatusCode::NOT_FOUND
    );
    let empty = send(&s.app, upload_request("/api/check", &[])).await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_dismissal_needs_a_reason_and_shows_in_search() {
    let s = server();
    let id = upload_text(&s.app, "a.txt", &flagged_text(3)).await;
    let finding = first_finding(&s.app, id).await;
    let uri = format!("/api/findings/{finding}/decision");
    let res = send(
        &s.app,
        post_json(&uri, &serde_json::json!({"status": "dismissed"})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(res).await["error"].as_str().unwrap().contains("理由"));
    let res = send(
        &s.app,
        post_json(&uri, &serde_json::json!({"status": "maybe"})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = send(
        &s.app,
        post_json(
            &uri,
            &serde_json::json!({"status": "dismissed", "reason": "有法律依据，不构成问题", "reviewer": "张三"}),
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let v = json(res).await;
    assert_eq!(v["status"], "dismissed");
    assert_eq!(v["reviewer"], "张三");
    let found = json(get(&s.app, "/api/search?status=dismissed").await).await;
    assert_eq!(found["findings_total"], 1);
    assert_eq!(found["findings"][0]["reason"], "有法律依据，不构成问题");
    let page = text(get(&s.app, "/search?status=dismissed").await).await;
    assert!(page.contains("已驳回") && page.contains("有法律依据，不构成问题"));
    let review = text(get(&s.app, &format!("/reviews/{id}")).await).await;
    assert!(review.contains("status-dismissed"));
    let missing = send(
        &s.app,
        post_json(
            &format!("/api/findings/{id}-0000000000000000/decision"),
            &serde_json::json!({"status": "confirmed"}),
        ),
    )
    .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_decision_form_works_without_javascript() {
    let s = server();
    let id = upload_text(&s.app, "a.txt", &flagged_text(2)).await;
    let finding = first_finding(&s.app, id).await;
    let fingerprint = finding.split_once('-').unwrap().1;
    let req = Request::post(format!("/reviews/{id}/findings/{fingerprint}/decision"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("status=confirmed&reason="))
        .unwrap();
    let res = send(&s.app, req).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/reviews/{id}"));
    let v = json(get(&s.app, &format!("/api/reviews/{id}")).await).await;
    assert_eq!(v["review"]["findings"][0]["status"], "confirmed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_decisions_keep_the_last_and_every_one_in_history() {
    let s = server();
    let id = upload_text(&s.app, "a.txt", &flagged_text(2)).await;
    let finding = first_finding(&s.app, id).await;
    let uri = format!("/api/findings/{finding}/decision");
    let mut tasks = Vec::new();
    for k in 0..24 {
        let app = s.app.clone();
        let status = ["confirmed", "dismissed", "fixed"][k % 3];
        let req = post_json(
            &uri,
            &serde_json::json!({
                "status": status,
                "reason": format!("理由{k}"),
                "reviewer": format!("审查员{k}"),
            }),
        );
        tasks.push(tokio::spawn(async move {
            app.oneshot(req).await.unwrap().status()
        }));
    }
    // Meanwhile another process (the CLI's `review mark`) decides too.
    let fingerprint = finding.split_once('-').unwrap().1.to_string();
    let data = s.state.data_dir.clone();
    let cli = {
        let fingerprint = fingerprint.clone();
        std::thread::spawn(move || {
            let mut store = crate::store::Store::open(&data).unwrap();
            for k in 0..8 {
                store
                    .decide(
                        id,
                        &fingerprint,
                        Status::Confirmed,
                        "",
                        &format!("命令行{k}"),
                    )
                    .unwrap();
            }
        })
    };
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::OK);
    }
    cli.join().unwrap();
    let fingerprint = fingerprint.as_str();
    let store = s.state.store();
    let history = store.history(id, fingerprint).unwrap();
    assert_eq!(history.len(), 32, "every decision is kept");
    let latest = store.decision(id, fingerprint).unwrap().unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (latest.status, &latest.reviewer),
        (last.status, &last.reviewer)
    );
    let mut reviewers: Vec<&str> = history.iter().map(|d| d.reviewer.as_str()).collect();
    reviewers.sort_unstable();
    reviewers.dedup();
    assert_eq!(reviewers.len(), 32, "no decision lost");
}

#[tokio::test]
async fn similar_past_findings_show_their_decisions() {
    let s = server();
    let text = flagged_text(3);
    let first = upload_text(&s.app, "甲.txt", &text).await;
    let finding = first_finding(&s.app, first).await;
    let res = send(
        &s.app,
        post_json(
            &format!("/api/findings/{finding}/decision"),
            &serde_json::json!({"status": "dismissed", "reason": "上位法另有规定"}),
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    s.state.flush_index().unwrap();
    let second = upload_text(&s.app, "乙.txt", &format!("另一份文件\n{text}")).await;
    let v = json(get(&s.app, &format!("/api/reviews/{second}")).await).await;
    let similar = &v["review"]["findings"][0]["similar"];
    assert_eq!(similar[0]["status"], "dismissed", "{similar}");
    assert_eq!(similar[0]["reason"], "上位法另有规定");
    let page = text_of(&s.app, &format!("/reviews/{second}")).await;
    assert!(page.contains("相似的既往问题"));
    assert!(page.contains("上位法另有规定"));
}

async fn text_of(app: &Router, uri: &str) -> String {
    text(get(app, uri).await).await
}

#[tokio::test]
async fn downloads_give_a_commented_docx_a_form_and_json() {
    let s = server();
    let (name, docx) = corpus_docx();
    let res = send(&s.app, upload_request("/api/check", &[(&name, &docx)])).await;
    let id = json(res).await["reviews"][0]["id"].as_i64().unwrap();
    let res = get(&s.app, &format!("/reviews/{id}/annotated.docx")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''"));
    let annotated = bytes(res).await;
    let comments = zip_part(&annotated, "word/comments.xml").expect("a comments part");
    assert!(comments.contains("<w:comment "), "no comment");
    assert!(
        zip_part(&annotated, "word/document.xml")
            .unwrap()
            .contains("commentRangeStart")
    );
    let res = get(&s.app, &format!("/reviews/{id}/form.docx")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(zip_part(&bytes(res).await, "word/document.xml").is_some());
    let res = get(&s.app, &format!("/reviews/{id}/review.json")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let v: Value = serde_json::from_slice(&bytes(res).await).unwrap();
    assert_eq!(v["id"], id);
    assert_eq!(
        get(&s.app, "/reviews/77/form.docx").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn search_pages_and_api_have_facets_snippets_and_links() {
    let s = server();
    let id = upload_text(&s.app, "a.txt", &flagged_text(4)).await;
    let v = json(get(&s.app, "/api/search?q=").await).await;
    assert!(v["findings_total"].as_u64().unwrap() >= 1);
    for facet in ["item", "level", "status"] {
        assert!(
            !v["facets"][facet].as_array().unwrap().is_empty(),
            "{facet}"
        );
    }
    let item = v["facets"]["item"][0]["value"]
        .as_str()
        .unwrap()
        .to_string();
    let v = json(get(&s.app, &format!("/api/search?item={item}&level=warning")).await).await;
    assert!(v["findings"].is_array(), "{v}");
    let word: String = json(get(&s.app, &format!("/api/reviews/{id}")).await).await["review"]
        ["findings"][0]["evidence"][0]
        .as_str()
        .unwrap()
        .to_string();
    let page = text(
        get(
            &s.app,
            &format!("/search?q={}", super::views::url_encode(&word)),
        )
        .await,
    )
    .await;
    assert!(
        page.contains("<mark class=\"hl\">"),
        "no highlighted snippet"
    );
    assert!(page.contains(&format!("href=\"/reviews/{id}\"")));
    assert!(page.contains("data-facet=\"issuer\"") && page.contains("data-facet=\"year\""));
    assert_eq!(
        get(&s.app, "/api/search?item=7/1").await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&s.app, "/search?year=20x4").await.status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn batch_pages_chart_by_group_item_issuer_and_year() {
    let s = server();
    upload_text(&s.app, "a.txt", &flagged_text(4)).await;
    for uri in ["/batches", "/batches/1"] {
        let res = get(&s.app, uri).await;
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        let page = text(res).await;
        for chart in ["group", "item", "issuer", "year"] {
            assert!(
                page.contains(&format!("data-chart=\"{chart}\"")),
                "{uri} {chart}"
            );
        }
        assert!(
            page.contains("<svg") && page.contains("<rect class=\"lv-"),
            "{uri}"
        );
    }
    let v = json(get(&s.app, "/api/batches").await).await;
    assert_eq!(v["batches"][0]["files"], 1);
    let v = json(get(&s.app, "/api/batches/1").await).await;
    assert_eq!(v["documents"].as_array().unwrap().len(), 1);
    assert_eq!(
        get(&s.app, "/batches/9").await.status(),
        StatusCode::NOT_FOUND
    );
}

fn form_post(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn server_folders_need_an_allowed_root_and_never_escape_it() {
    let s = server();
    let res = send(&s.app, form_post("/batches", "folder=%2Ftmp")).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(
        text(get(&s.app, "/batches").await)
            .await
            .contains("--allow-root")
    );

    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), flagged_text(2)).unwrap();
    let root = tempfile::tempdir().unwrap();
    let docs = root.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("a.txt"), flagged_text(2)).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.path().join("escape")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), docs.join("link.txt")).unwrap();
    let root_path = root.path().to_path_buf();
    let s = server_with(|c| c.allow_roots = vec![root_path]);
    for bad in ["../", "docs/../../", "/etc", "escape", "%2E%2E%2Fetc"] {
        let res = send(&s.app, form_post("/batches", &format!("folder={bad}"))).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{bad}");
    }
    let res = send(
        &s.app,
        post_json(
            "/api/batches",
            &serde_json::json!({"folder": "../../../../etc"}),
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = send(&s.app, form_post("/batches", "folder=docs")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let batch = location(&res);
    let api = format!("/api{batch}");
    let mut done = Value::Null;
    for _ in 0..100 {
        done = json(get(&s.app, &api).await).await;
        if !done["finished_at"].is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let docs: Vec<&str> = done["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        docs.len(),
        1,
        "the symlinked file outside the root is skipped: {docs:?}"
    );
    assert!(docs[0].ends_with("a.txt"));
    let res = send(
        &s.app,
        post_json("/api/batches", &serde_json::json!({"folder": "docs"})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn uploaded_names_cannot_climb_out_of_the_uploads_folder() {
    let s = server();
    let res = send(
        &s.app,
        upload_request(
            "/api/check",
            &[("../../../evil.txt", b"x"), ("/etc/passwd", b"y")],
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let v = json(res).await;
    assert_eq!(v["reviews"][0]["name"], "evil.txt");
    assert_eq!(v["reviews"][1]["name"], "passwd");
    let data = s.state.data_dir.clone();
    assert!(!data.join("evil.txt").exists() && !data.parent().unwrap().join("evil.txt").exists());
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&data)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().starts_with(&s.state.uploads))
        .map(|e| e.into_path())
        .collect();
    assert_eq!(files.len(), 2);
    assert!(
        files
            .iter()
            .all(|f| f.parent().unwrap().parent().unwrap() == s.state.uploads)
    );
}

#[tokio::test]
async fn the_rules_page_lists_standards_rules_and_examples() {
    let s = server();
    let page = text(get(&s.app, "/rules").await).await;
    assert!(page.contains("第八条第（一）项"));
    assert!(page.contains("应当提示的示例") && page.contains("不应提示的示例"));
    let v = json(get(&s.app, "/api/rules").await).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 19);
    let rules: usize = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["rules"].as_array().unwrap().len())
        .sum();
    assert_eq!(rules, RuleSet::embedded().rules().count());
}

#[tokio::test]
async fn assets_are_embedded_and_nothing_else_is_served() {
    let s = server();
    let res = get(&s.app, "/assets/style.css").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let res = get(&s.app, "/assets/app.js").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(text(res).await.contains("/api/check"));
    for bad in [
        "/assets/..%2F..%2FCargo.toml",
        "/assets/passwd",
        "/etc/passwd",
        "/nowhere",
    ] {
        assert_eq!(
            get(&s.app, bad).await.status(),
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
    let res = get(&s.app, "/api/nowhere").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(json(res).await["error"].is_string());
}

#[tokio::test]
async fn uploads_beyond_the_limit_get_413() {
    let s = server_with(|c| c.max_upload_bytes = 4 * 1024);
    let big = vec![b'a'; 16 * 1024];
    for uri in ["/check", "/api/check"] {
        let res = send(&s.app, upload_request(uri, &[("big.txt", &big)])).await;
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE, "{uri}");
    }
    // A body without a declared length is cut off while it is read.
    let req = Request::post("/api/check")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(multipart(&[("big.txt", &big)])))
        .unwrap();
    assert_eq!(
        send(&s.app, req).await.status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let small = send(
        &s.app,
        upload_request("/api/check", &[("small.txt", b"ok")]),
    )
    .await;
    assert_eq!(small.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_token_is_checked_on_every_request() {
    let s = server_with(|c| c.token = Some("s3cret-token".into()));
    assert_eq!(
        get(&s.app, "/check").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let res = get(&s.app, "/api/reviews").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(json(res).await["error"].as_str().unwrap().contains("令牌"));
    assert_eq!(
        get(&s.app, "/assets/app.js").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let bearer = |t: &str| {
        Request::get("/api/reviews")
            .header(header::AUTHORIZATION, format!("Bearer {t}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(
        send(&s.app, bearer("s3cret-token")).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        send(&s.app, bearer("wrong")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let res = get(&s.app, "/search?q=a&token=s3cret-token").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/search?q=a");
    let cookie = res.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let pair = cookie.split(';').next().unwrap().to_string();
    let req = Request::get("/check")
        .header(header::COOKIE, pair)
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&s.app, req).await.status(), StatusCode::OK);
    let req = Request::get("/check")
        .header(header::COOKIE, "fairscan_token=nope")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&s.app, req).await.status(), StatusCode::UNAUTHORIZED);
    let res = send(&s.app, upload_request("/api/check", &[("a.txt", b"x")])).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn foreign_hosts_and_cross_site_posts_are_refused() {
    let s = server();
    let req = Request::get("/check")
        .header(header::HOST, "evil.example")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&s.app, req).await.status(), StatusCode::FORBIDDEN);
    let req = Request::get("/check")
        .header(header::HOST, "127.0.0.1:8080")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&s.app, req).await.status(), StatusCode::OK);
    let mut req = upload_request("/api/check", &[("a.txt", b"x")]);
    req.headers_mut()
        .insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
    req.headers_mut()
        .insert(header::ORIGIN, "http://evil.example".parse().unwrap());
    assert_eq!(send(&s.app, req).await.status(), StatusCode::FORBIDDEN);
}
