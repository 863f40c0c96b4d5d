/* The upload page: drop or choose workbooks, send each with its own progress bar, show its report.
   Builds the DOM with textContent only: nothing from a file or the server is ever parsed as HTML. */
(function () {
  "use strict";

  var root = document.getElementById("upload");
  if (!root) { return; }
  var T = JSON.parse(root.getAttribute("data-texts") || "{}");
  var endpoint = root.getAttribute("data-endpoint");
  var lang = root.getAttribute("data-lang") || "en";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute("content") : "";
  var input = document.getElementById("files");
  var drop = document.getElementById("drop");
  var results = document.getElementById("results");
  var SEVERITIES = ["error", "warning", "alert", "info"];
  var queue = [];
  var busy = false;

  function text(key, params) {
    var s = T[key] || key;
    return s.replace(/\{(\w+)\}/g, function (m, name) {
      return params && params[name] !== undefined && params[name] !== null ? String(params[name]) : m;
    });
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined && content !== null) { node.textContent = String(content); }
    return node;
  }

  function link(href, label, className) {
    var a = el("a", className, label);
    a.setAttribute("href", href);
    return a;
  }

  function size(bytes) {
    if (bytes >= 1048576) { return (bytes / 1048576).toFixed(1) + " MB"; }
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  /* one card per file: name, progress, then the report */
  function Card(file) {
    this.node = el("article", "result pending");
    this.node.setAttribute("data-filename", file.name);
    var head = el("header", "result-head");
    var name = el("div", "fname");
    name.appendChild(el("strong", null, file.name));
    name.appendChild(el("small", "muted", size(file.size)));
    head.appendChild(name);
    this.badge = el("span", "badge busy", text("upload.checking"));
    this.badge.hidden = true;
    head.appendChild(this.badge);
    this.node.appendChild(head);
    this.progress = el("div", "progress");
    this.progress.setAttribute("role", "progressbar");
    this.progress.setAttribute("aria-valuemin", "0");
    this.progress.setAttribute("aria-valuemax", "100");
    this.bar = el("div", "bar");
    this.progress.appendChild(this.bar);
    this.node.appendChild(this.progress);
    this.state = el("p", "state", text("upload.uploading", { percent: 0 }));
    this.node.appendChild(this.state);
    this.body = el("div", "result-body");
    this.node.appendChild(this.body);
  }

  Card.prototype.percent = function (p) {
    this.bar.style.width = p + "%";
    this.progress.setAttribute("aria-valuenow", String(p));
    this.state.textContent = text("upload.uploading", { percent: p });
  };

  Card.prototype.checking = function () {
    this.percent(100);
    this.progress.className = "progress busy";
    this.state.textContent = text("upload.checking");
  };

  Card.prototype.fail = function (message) {
    this.node.className = "result failed";
    this.progress.hidden = true;
    this.state.className = "state notice bad";
    this.state.textContent = message;
  };

  Card.prototype.report = function (sub) {
    var r = sub.report || {};
    this.node.className = "result done " + (sub.accepted ? "accepted" : "rejected");
    this.node.setAttribute("data-submission-id", String(sub.submission_id));
    this.node.setAttribute("data-accepted", sub.accepted ? "true" : "false");
    this.progress.hidden = true;
    this.state.hidden = true;
    this.badge.hidden = false;
    this.badge.className = "badge " + (sub.accepted ? "ok" : "bad");
    this.badge.textContent = text(sub.accepted ? "report.accepted" : "report.not_accepted");
    var body = this.body;

    var line = el("div", "result-meta");
    line.appendChild(el("span", "pill st-" + sub.status, text("status." + sub.status)));
    var counts = r.counts || {};
    SEVERITIES.forEach(function (s) {
      var n = counts[s] || 0;
      var chip = el("span", "chip sev-" + s + (n ? "" : " zero"));
      chip.setAttribute("data-severity", s);
      chip.appendChild(el("b", null, n));
      chip.appendChild(document.createTextNode(" " + text("count." + s)));
      line.appendChild(chip);
    });
    if (r.template) {
      line.appendChild(el("span", "muted", text("report.template", {
        template: r.template, version: r.version === null || r.version === undefined ? "?" : r.version,
        locale: r.locale || "?" })));
    }
    body.appendChild(line);

    if (!sub.created) { body.appendChild(el("p", "notice info", text("report.duplicate"))); }
    if (sub.status === "not_campaign") { body.appendChild(el("p", "notice bad", text("report.not_campaign"))); }
    else if (!sub.accepted) { body.appendChild(el("p", "notice bad", text("report.not_accepted_hint"))); }
    if (sub.accepted && sub.current_submission && sub.current_submission !== sub.submission_id) {
      body.appendChild(el("p", "notice info", text("report.superseded", { current: sub.current_filename })));
    }

    var actions = el("div", "actions");
    if (!r.unreadable && sub.status !== "rejected") {
      var a = link("/api/submissions/" + encodeURIComponent(sub.submission_id) + "/annotated?lang=" +
                   encodeURIComponent(lang), text("report.annotated"), "btn annotated");
      a.setAttribute("download", "");
      actions.appendChild(a);
    }
    if (sub.campaign_id) {
      actions.appendChild(link("/campaigns/" + encodeURIComponent(sub.campaign_id) + "?lang=" + encodeURIComponent(lang),
                               text("report.campaign"), "btn ghost campaign"));
    }
    if (actions.childNodes.length) { body.appendChild(actions); }

    var issues = r.issues || [];
    if (!issues.length) {
      body.appendChild(el("p", "notice ok", text("report.no_issues")));
      return;
    }
    groups(issues).forEach(function (g) { body.appendChild(sheetBlock(g, issues.length)); });
  };

  function groups(issues) {
    var order = [], by = {};
    issues.forEach(function (i) {
      var key = i.sheet || "";
      if (!by[key]) { by[key] = []; order.push(key); }
      by[key].push(i);
    });
    order.sort(function (a, b) { return a === "" ? -1 : b === "" ? 1 : 0; });
    return order.map(function (key) {
      var list = by[key].slice().sort(function (a, b) {
        var s = SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);
        return s || (a.row || 0) - (b.row || 0);
      });
      return { sheet: key, issues: list };
    });
  }

  function sheetBlock(g, total) {
    var details = el("details", "sheet");
    var hasError = g.issues.some(function (i) { return i.severity === "error"; });
    details.open = total <= 40 || hasError;
    details.setAttribute("data-sheet", g.sheet);
    var summary = el("summary");
    summary.appendChild(el("span", "sheet-name", g.sheet || text("report.whole_file")));
    summary.appendChild(el("span", "muted", text("report.issues_in", { n: g.issues.length })));
    details.appendChild(summary);
    var table = el("table", "data issues");
    var head = el("tr");
    var withHint = g.issues.some(function (i) { return i.hint; });
    var columns = ["col.severity", "col.cell", "col.message"].concat(withHint ? ["report.fix"] : []);
    columns.forEach(function (k) { head.appendChild(el("th", "col-" + k.split(".")[1], text(k))); });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var tbody = el("tbody");
    g.issues.forEach(function (i) { tbody.appendChild(issueRow(i, withHint)); });
    table.appendChild(tbody);
    var wrap = el("div", "table-wrap");
    wrap.appendChild(table);
    details.appendChild(wrap);
    return details;
  }

  function issueRow(i, withHint) {
    var tr = el("tr", "issue sev-" + i.severity);
    tr.setAttribute("data-severity", i.severity || "");
    tr.setAttribute("data-code", i.code || "");
    var sev = el("td");
    sev.appendChild(el("span", "sev sev-" + i.severity, text("severity." + i.severity)));
    tr.appendChild(sev);
    var where = i.cell || (i.row ? text("report.row", { row: i.row }) : "—");
    tr.appendChild(el("td", "cellref", where));
    var msg = el("td", "message");
    msg.appendChild(el("div", null, i.message || i.code));
    var facts = [];
    if (i.value !== null && i.value !== undefined && i.value !== "") { facts.push(text("report.value") + ": " + i.value); }
    if (i.expected !== null && i.expected !== undefined && i.expected !== "") { facts.push(text("report.expected") + ": " + i.expected); }
    if (facts.length) { msg.appendChild(el("small", "muted", facts.join(" · "))); }
    tr.appendChild(msg);
    if (withHint) { tr.appendChild(el("td", "hint", i.hint || "")); }
    return tr;
  }

  /* sending, one file at a time so each bar means something */
  function add(files) {
    var anchor = results.firstChild;   /* the newest batch on top, in the order chosen */
    Array.prototype.forEach.call(files, function (file) {
      var card = new Card(file);
      results.insertBefore(card.node, anchor);
      queue.push({ file: file, card: card });
    });
    next();
  }

  function next() {
    if (busy || !queue.length) { return; }
    busy = true;
    var job = queue.shift();
    send(job.file, job.card, function () { busy = false; next(); });
  }

  function send(file, card, done) {
    var xhr = new XMLHttpRequest();
    var form = new FormData();
    form.append("file", file, file.name);
    xhr.open("POST", endpoint);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { card.percent(Math.round(100 * e.loaded / e.total)); }
    });
    xhr.upload.addEventListener("load", function () { card.checking(); });
    xhr.addEventListener("load", function () {
      var data = null;
      try { data = JSON.parse(xhr.responseText); } catch (err) { data = null; }
      if (xhr.status >= 200 && xhr.status < 300 && data && data.submissions && data.submissions.length) {
        card.report(data.submissions[0]);
      } else {
        card.fail(text("upload.failed", { message: (data && data.message) || xhr.status + " " + xhr.statusText }));
      }
      done();
    });
    xhr.addEventListener("error", function () { card.fail(text("upload.network")); done(); });
    xhr.addEventListener("abort", function () { card.fail(text("upload.network")); done(); });
    xhr.send(form);
  }

  input.addEventListener("change", function () {
    if (input.files && input.files.length) { add(input.files); }
    input.value = "";
  });
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "dragend"].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer && e.dataTransfer.files.length) { add(e.dataTransfer.files); }
  });
  /* a file dropped beside the zone must not make the browser leave the page */
  window.addEventListener("dragover", function (e) { e.preventDefault(); });
  window.addEventListener("drop", function (e) { e.preventDefault(); });
}());
