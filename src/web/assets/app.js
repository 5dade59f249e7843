// fairscan workbench: optional conveniences. Every page works without this
// script; with it, uploads show progress (drag and drop, several files) and
// decisions are recorded without leaving the page.
"use strict";

(function () {
  function uploadPage() {
    var form = document.getElementById("upload");
    var input = document.getElementById("files");
    var drop = document.getElementById("drop");
    var list = document.getElementById("progress");
    if (!form || !input || !window.FormData || !window.XMLHttpRequest) return;

    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (e) {
        e.preventDefault();
        drop.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function (e) {
        e.preventDefault();
        drop.classList.remove("over");
      });
    });
    drop.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        send(e.dataTransfer.files);
      }
    });
    form.addEventListener("submit", function (e) {
      if (!input.files.length) return;
      e.preventDefault();
      send(input.files);
    });

    function send(files) {
      list.textContent = "";
      var pending = files.length;
      var done = [];
      Array.prototype.forEach.call(files, function (file, i) {
        var li = document.createElement("li");
        var name = document.createElement("span");
        name.textContent = file.name;
        var bar = document.createElement("progress");
        bar.max = 100;
        bar.value = 0;
        var state = document.createElement("span");
        state.textContent = "上传中";
        li.appendChild(name);
        li.appendChild(bar);
        li.appendChild(state);
        list.appendChild(li);

        var data = new FormData();
        data.append("files", file, file.name);
        var xhr = new XMLHttpRequest();
        xhr.open("POST", "/api/check");
        xhr.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
        });
        xhr.upload.addEventListener("load", function () {
          bar.removeAttribute("value");
          state.textContent = "检查中";
        });
        xhr.addEventListener("loadend", function () {
          var body = null;
          try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
          bar.value = 100;
          if (xhr.status === 200 && body && body.reviews && body.reviews.length) {
            var r = body.reviews[0];
            state.textContent = "";
            var link = document.createElement("a");
            link.href = r.url;
            link.textContent = r.error ? "无法审查：" + r.error :
              "查看审查结果（错误 " + r.errors + "，警告 " + r.warnings + "，提示 " + r.suggestions + "）";
            state.appendChild(link);
            done[i] = r.url;
          } else {
            state.textContent = "失败：" + (body && body.error ? body.error : "HTTP " + xhr.status);
          }
          pending -= 1;
          if (pending === 0 && files.length === 1 && done[0]) window.location.href = done[0];
        });
        xhr.send(data);
      });
    }
  }

  function reviewPage() {
    var forms = document.querySelectorAll("form.decide");
    if (!forms.length || !window.fetch) return;
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var card = form.closest("article.card");
        if (!card) return;
        var data = new FormData(form);
        var body = { status: data.get("status"), reason: data.get("reason") || "" };
        fetch("/api/findings/" + card.getAttribute("data-finding") + "/decision", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
          credentials: "same-origin"
        }).then(function (res) {
          return res.json().then(function (json) { return { ok: res.ok, json: json }; });
        }).then(function (r) {
          var note = card.querySelector("[data-decision]");
          if (!r.ok) {
            note.textContent = "未能记录：" + (r.json.error || "");
            return;
          }
          var status = card.querySelector("header .status");
          status.setAttribute("data-status", r.json.status);
          status.textContent = r.json.label;
          card.className = card.className.replace(/status-\w+/, "status-" + r.json.status);
          note.textContent = "决定：" + r.json.label + (r.json.reason ? "，理由：" + r.json.reason : "") +
            "（" + r.json.reviewer + "，" + r.json.decided_at + "）";
          var reason = form.querySelector("input[name=reason]");
          if (reason) reason.value = "";
        }).catch(function () {
          form.submit();
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    uploadPage();
    reviewPage();
  });
})();
