// Small progressive enhancements. The site works without JavaScript; HTMX adds partial updates.
document.documentElement.classList.add("js");
// The words this script writes, in the page's language (<html lang>): Chinese, or English on English pages.
var ENGLISH = /^en/i.test(document.documentElement.lang || "");
function say(zh, en) { return ENGLISH ? en : zh; }
document.addEventListener("htmx:responseError", function (evt) {
  var box = document.createElement("div");
  box.className = "form-errors";
  box.setAttribute("role", "alert");
  box.textContent = say("请求失败（" + evt.detail.xhr.status + "）。请刷新后重试。",
    "The request failed (" + evt.detail.xhr.status + "). Reload the page and try again.");
  var main = document.getElementById("main");
  if (main) { main.prepend(box); }
});

// One navigation menu open at a time; a click elsewhere closes it.
document.addEventListener("click", function (evt) {
  document.querySelectorAll(".navgroup details[open]").forEach(function (d) {
    if (!d.contains(evt.target)) { d.removeAttribute("open"); }
  });
});

// Behaviour that used to sit in inline handlers (the Content-Security-Policy forbids them).
// <select data-autosubmit> submits its form on change (the language switch).
document.addEventListener("change", function (evt) {
  if (evt.target.matches && evt.target.matches("select[data-autosubmit]")) { evt.target.form.submit(); }
});
document.addEventListener("click", function (evt) {
  var el = evt.target.closest && evt.target.closest("[data-print], [data-fill]");
  if (!el) { return; }
  if (el.hasAttribute("data-print")) { window.print(); return; }
  // <button data-fill="#selector" data-value="v"> puts v into that field (pick a candidate from a list).
  var field = document.querySelector(el.getAttribute("data-fill"));
  if (field) { field.value = el.getAttribute("data-value"); }
});

// Search-as-you-type pickers (kechuang.core.pickers): every <select data-picker="URL"> becomes a Tom Select
// that asks URL?q=... as the person types. Without JavaScript the select submits what it holds.
function startPickers(root) {
  if (typeof TomSelect === "undefined") { return; }
  (root || document).querySelectorAll("select[data-picker]").forEach(function (el) {
    if (el.tomselect || el.closest("template")) { return; }
    var url = el.getAttribute("data-picker");
    // <select data-picker-kind="ID">: the rows depend on the kind chosen in select#ID (a content type); the
    // search is told the kind, and choosing another kind empties the picker (its rows were of the old kind).
    var kindSelect = el.hasAttribute("data-picker-kind") ? document.getElementById(el.getAttribute("data-picker-kind")) : null;
    var create = el.hasAttribute("data-picker-create");
    var ts = new TomSelect(el, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      maxOptions: 20,
      loadThrottle: 250,
      placeholder: el.getAttribute("data-placeholder") || "",
      plugins: el.multiple ? ["remove_button"] : [],
      // <select data-picker-create>: a name not found may be kept as typed (a unit not in the system).
      create: create,
      persist: false,
      // The server has already matched (names, units, disciplines): show what it answers, in its order.
      score: function () { return function () { return 1; }; },
      shouldLoad: function (q) { return q.length > 0; },
      load: function (q, callback) {
        var sep = url.indexOf("?") < 0 ? "?" : "&";
        var extra = "";
        if (kindSelect) { extra = "&kind=" + encodeURIComponent(kindSelect.value || ""); }
        fetch(url + sep + "q=" + encodeURIComponent(q) + extra, {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (r) { return r.ok ? r.json() : {results: []}; })
          .then(function (j) { pickerNote(ts, j.note || ""); callback(j.results); })
          .catch(function () { callback(); });
      },
      render: {
        // with a value that may be kept as typed, "nothing found; try another word" beside "new …: WORDS" reads as
        // a contradiction (walked, session 21: the import page's new edition): only the offer to keep it shows
        no_results: function (data) { return create && (data.input || "").trim() ? "" : '<div class="no-results">' + say("没有找到，请换个词试试", "Nothing found; try another word") + '</div>'; },
        loading: function () { return '<div class="spinner">' + say("查找中…", "Searching…") + '</div>'; },
        option_create: function (data, escape) { return '<div class="create">' + escape(el.getAttribute("data-picker-create") || say("使用", "Use")) + say("：", ": ") + escape(data.input) + '</div>'; }
      }
    });
    if (kindSelect) {
      kindSelect.addEventListener("change", function () { ts.clear(); ts.clearOptions(); });
    }
    keepName(el);
  });
}

// The server's note over a picker's rows (the words typed were cut at core.limits.SEARCH_MAX: searched by the
// first ones), in the page's language as the server wrote it; gone when the next answer has none.
function pickerNote(ts, words) {
  var note = ts.dropdown.querySelector(".picker-note");
  if (!words) { if (note) { note.remove(); } return; }
  if (!note) {
    note = document.createElement("div");
    note.className = "picker-note";
    note.setAttribute("role", "status");
    ts.dropdown.insertBefore(note, ts.dropdown.firstChild);
  }
  note.textContent = words;
}

// Tom Select moves the field's <label> to its own search box; the original select (hidden, still read by
// screen readers and checked by axe-core) keeps the label's name through aria-labelledby.
function keepName(el) {
  var labelled = el.tomselect && el.tomselect.focus_node.getAttribute("aria-labelledby");
  if (labelled) { el.setAttribute("aria-labelledby", labelled); }
  el.removeAttribute("title");
}

// Rows with add/remove (kechuang.core.formkinds): a [data-rows] block holds a formset; [data-add-row] copies
// its <template> (the formset's empty form, __prefix__ replaced by the next number) and counts it in
// TOTAL_FORMS; [data-remove-row] ticks the row's DELETE box and hides the row (the server drops it).
document.addEventListener("click", function (evt) {
  var add = evt.target.closest && evt.target.closest("[data-add-row]");
  if (add) {
    evt.preventDefault();
    var block = add.closest("[data-rows]");
    var prefix = block.getAttribute("data-rows");
    var total = block.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var template = block.querySelector("template[data-row-template]");
    var n = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(n));
    var holder = document.createElement("tbody");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    block.querySelector("[data-row-list]").appendChild(row);
    total.value = String(n + 1);
    startPickers(row);
    startSearch(row);
    var first = row.querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
    if (first) { first.focus(); }
    return;
  }
  var remove = evt.target.closest && evt.target.closest("[data-remove-row]");
  if (remove) {
    evt.preventDefault();
    var r = remove.closest("[data-row]");
    var box = r.querySelector('input[type=checkbox][name$="-DELETE"]');
    if (box) { box.checked = true; }
    r.hidden = true;
  }
});

// Joint applications (联合揭榜): a <select data-unit-source="NAME"> (a team member's 所属单位) lists its first
// option (the lead unit) and every unit picked in the [data-rows=NAME] block's pickers, by name, as they are
// picked or their rows removed. A member's unit that is no longer picked stays selected: the server then
// says why it refuses it, rather than the member silently moving to the lead unit.
function syncUnitChoices(form) {
  if (!form) { return; }
  form.querySelectorAll("select[data-unit-source]").forEach(function (sel) {
    var block = form.querySelector('[data-rows="' + sel.getAttribute("data-unit-source") + '"]');
    if (!block) { return; }
    var chosen = [];
    block.querySelectorAll("tbody[data-row-list] tr[data-row]:not([hidden]) select[data-picker]").forEach(function (p) {
      var o = p.selectedOptions[0];
      if (o && o.value && !chosen.some(function (c) { return c.value === o.value; })) {
        chosen.push({value: o.value, text: o.text.split(" · ")[0]});  // the name, without the kind and city
      }
    });
    var current = sel.value;
    var kept = null;
    for (var i = 1; i < sel.options.length; i++) {
      if (sel.options[i].value === current) { kept = {value: current, text: sel.options[i].text}; }
    }
    while (sel.options.length > 1) { sel.remove(1); }
    if (kept && !chosen.some(function (c) { return c.value === kept.value; })) { chosen.push(kept); }
    chosen.forEach(function (c) { sel.add(new Option(c.text, c.value)); });
    sel.value = current;
  });
}
document.addEventListener("change", function (evt) {
  var t = evt.target;
  if (t.matches && t.matches("[data-rows] select[data-picker]")) { syncUnitChoices(t.form); }
});
document.addEventListener("click", function (evt) {
  var b = evt.target.closest && evt.target.closest("[data-add-row], [data-remove-row]");
  if (b && b.form) { window.setTimeout(function () { syncUnitChoices(b.form); }, 0); }
});

// A long list already on the page (<select data-search>, e.g. a framework's indicators) becomes a Tom Select
// that filters its own options as the person types; without JavaScript it stays a plain select.
function startSearch(root) {
  if (typeof TomSelect === "undefined") { return; }
  (root || document).querySelectorAll("select[data-search]").forEach(function (el) {
    if (el.tomselect || el.closest("template")) { return; }
    // <select data-search data-create="WORDS">: a value not in the list may be typed and kept (a new edition).
    var create = el.hasAttribute("data-create");
    new TomSelect(el, {
      maxOptions: 50,
      allowEmptyOption: true,
      // Filter as each key is typed: with Tom Select's default (a refresh 300 ms after the last key), a choice
      // made sooner was followed by the list opening again over the next field, taking its focus.
      refreshThrottle: 0,
      create: create,
      placeholder: el.getAttribute("data-placeholder") || "",
      render: {
        // with a value that may be kept as typed, "nothing found; try another word" beside "new …: WORDS" reads as
        // a contradiction (walked, session 21: the import page's new edition): only the offer to keep it shows
        no_results: function (data) { return create && (data.input || "").trim() ? "" : '<div class="no-results">' + say("没有找到，请换个词试试", "Nothing found; try another word") + '</div>'; },
        option_create: function (data, escape) { return '<div class="create">' + escape(el.getAttribute("data-create") || "") + say("：", ": ") + escape(data.input) + '</div>'; }
      }
    });
    keepName(el);
  });
}
window.kechuangStartSearch = function (root) { startPickers(root); startSearch(root); };

// A list narrowed by another field (<select data-narrow-by="province">: the cities of the chosen province,
// core.pickers.CityField): its option groups are named as the province list names the provinces, and only the
// chosen province's group is offered (all of them while none is chosen). Without JavaScript it stays a plain
// select of every group; the server checks the city lies in the province either way.
function narrow(root) {
  (root || document).querySelectorAll("select[data-narrow-by]").forEach(function (el) {
    if (!el.form || el.closest("template")) { return; }
    var by = el.form.querySelector('select[name="' + el.getAttribute("data-narrow-by") + '"]');
    if (!by) { return; }
    if (!el.kcAllOptions) { el.kcAllOptions = el.innerHTML; }
    var chosen = by.value && by.selectedIndex >= 0 ? by.options[by.selectedIndex].text.trim() : "";
    // Only when the province has changed: rebuilding the picker the person is typing into takes their focus.
    if (el.kcNarrowedTo === chosen) { return; }
    el.kcNarrowedTo = chosen;
    var keep = el.value;
    var all = document.createElement("select");
    all.innerHTML = el.kcAllOptions;
    var parts = [];
    Array.prototype.forEach.call(all.children, function (c) {
      if (c.tagName !== "OPTGROUP" || !chosen || c.label === chosen) { parts.push(c.outerHTML); }
    });
    el.innerHTML = parts.join("");
    el.value = keep;
    if (el.value !== keep) { el.value = ""; }
    if (el.tomselect) {
      // The picker reads the narrowed list in place: destroying and building it anew while the province
      // picker still held the focus left the city unable to take it (a click on it went nowhere).
      var ts = el.tomselect;
      ts.clear(true);
      ts.clearOptions();
      ts.clearOptionGroups();
      ts.sync();
    } else {
      startSearch(el.parentNode);
    }
  });
}
document.addEventListener("change", function (evt) {
  var t = evt.target;
  if (t && t.form && t.tagName === "SELECT" && t.form.querySelector('select[data-narrow-by="' + t.name + '"]')) {
    narrow(t.form);
  }
});

// Long texts outlive a submission that did not go through (walked: a review typed at length came back empty
// when the session had expired meanwhile: the post went to the sign-in page, and after signing in the form
// was shown anew). Every <textarea> of a post form is kept in this tab's sessionStorage as it is typed, by
// page, form and field. When the page shows that form again with the field empty, the text is put back and a
// note says so (with a button to drop it). A success message after a submission forgets the form's texts.
// A signed-in person's short fields (text and number boxes, plain lists) are kept the same way (walked, session
// 20: an expert left the scoring sheet half done and came back to the comments kept but every score gone); they
// come back under one note at the top of their form, with one button to drop them all.
// A field the page shows with an earlier saved text is put back too when what was typed differs (walked,
// session 23: an expert reworked a saved review, the session expired, and after signing in the sheet showed
// the saved draft: the rework was gone, as the text came back into empty fields only); dropping it shows the
// saved text again.
// The texts are the signed-in person's (data-kc-who on <body>): another person signing in on the same tab gets
// none of them back, and signing out (the form marked data-forget-drafts) forgets them all (docs/security.md §14).
var DRAFT = "kc-draft:";
var PENDING = "kc-draft-pending";
function draftKey(form, field) {
  var who = document.body.getAttribute("data-kc-who") || "";
  return DRAFT + who + "|" + location.pathname + "|" + (form.getAttribute("action") || "") + "|" + field.name;
}
function forgetDrafts(store) {
  var keys = [];
  for (var i = 0; i < store.length; i++) {
    var k = store.key(i);
    if (k && (k.indexOf(DRAFT) === 0 || k === PENDING)) { keys.push(k); }
  }
  keys.forEach(function (k) { store.removeItem(k); });
}
function storage() {
  try { return window.sessionStorage; } catch (e) { return null; }
}
var KEPT_FIELDS = "textarea[name], input[name][type=text], input[name][type=number], " +
  "select[name]:not([multiple]):not([data-picker]):not([data-search])";
function keptField(t) {
  if (!t.matches || !t.form || !t.matches(KEPT_FIELDS)) { return false; }
  if ((t.form.getAttribute("method") || "").toLowerCase() !== "post") { return false; }
  // Short fields are kept for a signed-in person only: not what someone typed on the sign-in or registration page.
  return t.tagName === "TEXTAREA" || !!document.body.getAttribute("data-kc-who");
}
document.addEventListener("input", function (evt) {
  var t = evt.target, store = storage();
  if (!store || !keptField(t)) { return; }
  try {
    if (t.value.trim()) { store.setItem(draftKey(t.form, t), t.value); } else { store.removeItem(draftKey(t.form, t)); }
  } catch (e) { /* storage full or refused: the page works as before */ }
});
document.addEventListener("submit", function (evt) {
  var store = storage(), form = evt.target;
  if (!store || !form.querySelectorAll) { return; }
  if (form.hasAttribute("data-forget-drafts")) {
    try { forgetDrafts(store); } catch (e) { /* as above */ }
    return;
  }
  var keys = Array.prototype.filter.call(form.querySelectorAll(KEPT_FIELDS), keptField).map(function (t) { return draftKey(form, t); });
  try { store.setItem(PENDING, JSON.stringify(keys)); } catch (e) { /* as above */ }
});
// The note over what was put back: `words`, and a button that empties `fields` ([[field, key], ...]), forgets
// their drafts and gives the first one the focus.
function restoredNote(words, fields, store) {
  var note = document.createElement("p");
  note.className = "draft-restored";
  note.setAttribute("role", "status");
  note.textContent = words + " ";
  var drop = document.createElement("button");
  drop.type = "button";
  drop.className = "secondary";
  drop.textContent = say("不要恢复", "Discard it");
  drop.addEventListener("click", function () {
    fields.forEach(function (f) { f[0].value = f[2] || ""; store.removeItem(f[1]); });
    note.remove();
    fields[0][0].focus();
  });
  note.appendChild(drop);
  return note;
}
// Whether the page already shows what was typed: the same text, or the same number written otherwise
// ("85.00" saved for "85" typed).
function sameValue(t, shown, kept) {
  if (shown.trim() === kept.trim()) { return true; }
  if (t.type === "number" && shown.trim() && !isNaN(Number(shown)) && Number(shown) === Number(kept)) { return true; }
  return false;
}
function restoreDrafts() {
  var store = storage();
  if (!store) { return; }
  var pending = [];
  try { pending = JSON.parse(store.getItem(PENDING) || "[]"); } catch (e) { pending = []; }
  store.removeItem(PENDING);
  if (document.querySelector(".messages .msg-success")) {
    pending.forEach(function (k) { store.removeItem(k); });
  }
  var short = [];  // [form, [[field, key], ...]]: the short fields put back, one note per form
  document.querySelectorAll(KEPT_FIELDS).forEach(function (t) {
    var form = t.form;
    if (!keptField(t) || t.disabled || t.readOnly) { return; }
    var key = draftKey(form, t), kept = store.getItem(key), shown = t.value;
    if (!kept || sameValue(t, shown, kept)) { return; }
    if (t.tagName === "SELECT" && !Array.prototype.some.call(t.options, function (o) { return o.value === kept; })) { return; }
    t.value = kept;
    if (t.tagName !== "TEXTAREA") {
      var entry = short.filter(function (e) { return e[0] === form; })[0];
      if (!entry) { entry = [form, []]; short.push(entry); }
      entry[1].push([t, key, shown]);
      return;
    }
    t.parentNode.insertBefore(restoredNote(
      say("已恢复您在此处输入、但尚未保存的内容。", "The text you typed here and had not saved has been put back."),
      [[t, key, shown]], store), t);
  });
  short.forEach(function (entry) {
    var form = entry[0];
    form.insertBefore(restoredNote(
      say("已恢复您在此表单中填写、但尚未保存的内容。", "What you filled in on this form and had not saved has been put back."),
      entry[1], store), form.firstChild);
  });
}

// At phone width a table scrolls in its own box (app.css). A box that scrolls takes the keyboard's focus, so
// it can be scrolled without a mouse (axe: scrollable-region-focusable, serious); it gives it back when the
// window widens and it no longer scrolls.
function focusableScrolls() {
  document.querySelectorAll("table.table, .scroll-x, .table-scroll").forEach(function (el) {
    var scrolls = el.scrollWidth > el.clientWidth + 1;
    if (scrolls && !el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("data-kc-scroll", "");
    } else if (!scrolls && el.hasAttribute("data-kc-scroll")) {
      el.removeAttribute("tabindex");
      el.removeAttribute("data-kc-scroll");
    }
  });
}
var resizing = null;
window.addEventListener("resize", function () {
  window.clearTimeout(resizing);
  resizing = window.setTimeout(focusableScrolls, 150);
});

document.addEventListener("DOMContentLoaded", function () { restoreDrafts(); startPickers(document); narrow(document); startSearch(document); focusableScrolls(); });
document.addEventListener("htmx:load", function (evt) { startPickers(evt.target); startSearch(evt.target); });
