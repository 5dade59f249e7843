//! Finding the article inside a portal page.
//!
//! Known CMS containers win when they hold a fair share of the page's prose;
//! otherwise the element whose own paragraphs hold the most Chinese text is
//! taken. One iterative pass gathers per-element counts for both.

use std::collections::HashMap;

use scraper::{ElementRef, Html};

use super::dom::{
    Flow, Visit, has_boilerplate_name, is_block_tag, is_cjk, is_hidden, is_non_content_tag, key,
    parent_element, tag, walk,
};
use super::title;
use crate::extract::{Context, ExtractError};

/// Content containers of common government CMS templates, most specific first.
/// Ids and classes compare ASCII case-insensitively (`#zoom` = `#Zoom`).
const CONTAINERS: &[Marker] = &[
    Marker::Id("zoom"),
    Marker::Class("TRS_Editor"),
    Marker::Class("TRS_UEDITOR"),
    Marker::Id("UCAP-CONTENT"),
    Marker::Id("fontzoom"),
    Marker::Class("article-content"),
    Marker::Class("article_content"),
    Marker::Class("pages_content"),
    Marker::Class("zwgk_content"),
    Marker::Class("main-txt"),
    Marker::Id("content"),
    Marker::Class("view"),
    Marker::Tag("article"),
];

/// A container with less visible text than this is an empty template slot.
const MIN_CONTAINER_TEXT: usize = 10;

enum Marker {
    Id(&'static str),
    Class(&'static str),
    Tag(&'static str),
}

/// Visible-text counts of one element's subtree (skipped parts excluded).
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// Non-whitespace characters outside links.
    pub text: usize,
    /// CJK ideographs outside links.
    pub cjk: usize,
    /// Non-whitespace characters inside links.
    pub link: usize,
    /// CJK ideographs in the element's own text and paragraph-like children.
    pub para_cjk: usize,
    /// Same, all non-whitespace characters.
    pub para_text: usize,
    /// Block-level descendants.
    pub blocks: usize,
    pub has_h1: bool,
}

pub struct Layout<'a> {
    /// The element holding the article.
    pub root: ElementRef<'a>,
    /// A title element just above `root`, when `root` has no `<h1>` of its own.
    pub title: Option<ElementRef<'a>>,
    pub stats: HashMap<usize, Stats>,
    /// Whether nesting beyond `max_depth` was cut.
    pub cut: bool,
}

pub fn locate<'a>(doc: &'a Html, ctx: &Context) -> Result<Layout<'a>, ExtractError> {
    let Some(html) = root_element(doc) else {
        return Err(ExtractError::Corrupt("网页没有根元素".into()));
    };
    let mut survey = Survey::default();
    let cut = walk(html, ctx.limits.max_depth, &ctx.deadline, |visit| {
        match visit {
            Visit::Open(el) => return survey.open(el),
            Visit::Text(text) => survey.text(text),
            Visit::Close(el) => survey.close(el),
        }
        Flow::Descend
    })?;

    let Survey {
        stats,
        containers,
        densest,
        densest_anywhere,
        ..
    } = survey;
    // Prose inside furniture-named blocks is a last resort: some templates
    // give the main column a name like "has-sidebar".
    let densest = densest.or(densest_anywhere);
    let body = find_body(html).unwrap_or(html);
    let chosen = choose_container(&containers, &stats, densest)
        .or_else(|| densest.map(|(el, _)| climb(el, &stats)))
        .unwrap_or(body);
    let has_h1 = stats.get(&key(chosen)).is_some_and(|s| s.has_h1);
    let title = if has_h1 {
        None
    } else {
        title::title_above(chosen)
    };
    Ok(Layout {
        root: chosen,
        title,
        stats,
        cut,
    })
}

/// State of the counting pass over the whole page.
#[derive(Default)]
struct Survey<'a> {
    stats: HashMap<usize, Stats>,
    /// Counts of the open elements, and whether each is furniture by name.
    frames: Vec<(Stats, bool)>,
    links: usize,
    furniture: usize,
    containers: Vec<(usize, ElementRef<'a>)>,
    densest: Option<(ElementRef<'a>, Stats)>,
    densest_anywhere: Option<(ElementRef<'a>, Stats)>,
}

impl<'a> Survey<'a> {
    fn open(&mut self, el: ElementRef<'a>) -> Flow {
        let name = tag(el);
        if is_non_content_tag(name) || is_hidden(el) {
            return Flow::Skip;
        }
        // Furniture-named blocks are still entered (a container may sit
        // inside a badly named wrapper) but do not count for their parents.
        let furniture = container_rank(el).is_none() && has_boilerplate_name(el);
        self.furniture += usize::from(furniture);
        self.links += usize::from(name == "a");
        self.frames.push((Stats::default(), furniture));
        Flow::Descend
    }

    fn text(&mut self, text: &str) {
        let in_link = self.links > 0;
        if let Some((top, _)) = self.frames.last_mut() {
            count_text(top, text, in_link);
        }
    }

    fn close(&mut self, el: ElementRef<'a>) {
        let name = tag(el);
        if name == "a" {
            self.links = self.links.saturating_sub(1);
        }
        let (own, furniture) = self.frames.pop().unwrap_or_default();
        self.stats.insert(key(el), own);
        if let Some(rank) = container_rank(el) {
            self.containers.push((rank, el));
        }
        let denser = |best: &Option<(ElementRef, Stats)>| {
            own.para_text > 0
                && best
                    .is_none_or(|(_, b)| (own.para_cjk, own.para_text) > (b.para_cjk, b.para_text))
        };
        if self.furniture == 0 && denser(&self.densest) {
            self.densest = Some((el, own));
        }
        if denser(&self.densest_anywhere) {
            self.densest_anywhere = Some((el, own));
        }
        if furniture {
            self.furniture = self.furniture.saturating_sub(1);
        } else if let Some((parent, _)) = self.frames.last_mut() {
            merge_child(parent, &own, name);
        }
    }
}

/// The `<html>` element; `Html::root_element` would panic without one.
fn root_element(doc: &Html) -> Option<ElementRef<'_>> {
    doc.tree.root().children().find_map(ElementRef::wrap)
}

fn find_body(html: ElementRef) -> Option<ElementRef> {
    html.children()
        .filter_map(ElementRef::wrap)
        .find(|e| tag(*e) == "body")
}

fn count_text(stats: &mut Stats, text: &str, in_link: bool) {
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        if in_link {
            stats.link += 1;
        } else {
            stats.text += 1;
            stats.para_text += 1;
            if is_cjk(c) {
                stats.cjk += 1;
                stats.para_cjk += 1;
            }
        }
    }
}

fn merge_child(parent: &mut Stats, child: &Stats, child_tag: &str) {
    parent.text += child.text;
    parent.cjk += child.cjk;
    parent.link += child.link;
    parent.blocks += child.blocks + usize::from(is_block_tag(child_tag));
    parent.has_h1 |= child.has_h1 || child_tag == "h1";
    if is_paragraph_like(child_tag, child) {
        parent.para_cjk += child.cjk;
        parent.para_text += child.text;
    }
}

/// Children whose text counts as the parent's own prose.
fn is_paragraph_like(name: &str, stats: &Stats) -> bool {
    match name {
        "p" | "font" | "span" | "strong" | "b" | "em" | "i" | "u" | "big" | "small" | "sub"
        | "sup" | "pre" | "blockquote" => true,
        // Old templates write paragraphs as leaf <div>s.
        "div" | "section" => stats.blocks == 0,
        _ => false,
    }
}

fn container_rank(el: ElementRef) -> Option<usize> {
    let e = el.value();
    CONTAINERS.iter().position(|m| match m {
        Marker::Id(id) => e.id().is_some_and(|v| v.trim().eq_ignore_ascii_case(id)),
        Marker::Class(class) => e.attr("class").is_some_and(|v| {
            v.split_ascii_whitespace()
                .any(|c| c.eq_ignore_ascii_case(class))
        }),
        Marker::Tag(name) => tag(el) == *name,
    })
}

/// The best-ranked container holding real prose: some text, and either the
/// densest prose of the page or at least half as much text as it (so a view
/// counter styled `.view` does not beat the article).
fn choose_container<'a>(
    containers: &[(usize, ElementRef<'a>)],
    stats: &HashMap<usize, Stats>,
    densest: Option<(ElementRef<'a>, Stats)>,
) -> Option<ElementRef<'a>> {
    let text_of = |el: &ElementRef| stats.get(&key(*el)).map_or(0, |s| s.text);
    let best_para = densest.map_or(0, |(_, s)| s.para_text);
    let acceptable = |el: &ElementRef| {
        let text = text_of(el);
        text >= MIN_CONTAINER_TEXT
            && (text * 2 >= best_para || densest.is_some_and(|(d, _)| is_within(d, *el)))
    };
    let rank = containers
        .iter()
        .filter(|(_, el)| acceptable(el))
        .map(|(rank, _)| *rank)
        .min()?;
    // Among equal ranks the one with most text; `max_by_key` keeps the last
    // maximum, so iterate in reverse to keep the first (outermost) on ties.
    containers
        .iter()
        .rev()
        .filter(|(r, el)| *r == rank && acceptable(el))
        .max_by_key(|(_, el)| text_of(el))
        .map(|(_, el)| *el)
}

fn is_within(el: ElementRef, ancestor: ElementRef) -> bool {
    let mut node = Some(el);
    while let Some(n) = node {
        if n == ancestor {
            return true;
        }
        node = parent_element(n);
    }
    false
}

/// Widens the densest element while most of its parent's prose lies outside
/// it (an article split over sibling blocks).
fn climb<'a>(start: ElementRef<'a>, stats: &HashMap<usize, Stats>) -> ElementRef<'a> {
    let mut el = start;
    for _ in 0..8 {
        let Some(parent) = parent_element(el) else {
            break;
        };
        if matches!(tag(parent), "body" | "html") {
            break;
        }
        let (Some(own), Some(up)) = (stats.get(&key(el)), stats.get(&key(parent))) else {
            break;
        };
        if own.cjk * 2 >= up.cjk {
            break;
        }
        el = parent;
    }
    el
}
