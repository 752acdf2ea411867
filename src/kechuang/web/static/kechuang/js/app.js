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
