// zaoshu web UI: copy buttons and confirmations. Pages are server-rendered;
// htmx swaps fragments, so everything here is delegated from document.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.appendChild(ta);
    ta.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(ta); }
    return Promise.resolve();
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest(".copy");
    if (!btn) { return; }
    var text = btn.getAttribute("data-copy");
    var target = btn.getAttribute("data-copy-target");
    if (target) {
      var el = document.querySelector(target);
      text = el ? (el.value !== undefined ? el.value : el.textContent) : "";
    }
    copyText(text || "").then(function () {
      var old = btn.textContent;
      btn.textContent = btn.getAttribute("data-copied") || "✓";
      btn.classList.add("copied");
      setTimeout(function () { btn.textContent = old; btn.classList.remove("copied"); }, 1500);
    });
  });

  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  });
})();
