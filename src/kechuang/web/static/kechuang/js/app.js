// Small progressive enhancements. The site works without JavaScript; HTMX adds partial updates.
document.addEventListener("htmx:responseError", function (evt) {
  var box = document.createElement("div");
  box.className = "form-errors";
  box.setAttribute("role", "alert");
  box.textContent = "请求失败（" + evt.detail.xhr.status + "）。请刷新后重试。";
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
