// Small progressive enhancements. The site works without JavaScript; HTMX adds partial updates.
document.addEventListener("htmx:responseError", function (evt) {
  var box = document.createElement("div");
  box.className = "form-errors";
  box.setAttribute("role", "alert");
  box.textContent = "请求失败（" + evt.detail.xhr.status + "）。请刷新后重试。";
  var main = document.getElementById("main");
  if (main) { main.prepend(box); }
});
