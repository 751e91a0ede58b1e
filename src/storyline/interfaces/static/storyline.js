// Citations show the sentence they cite on hover or keyboard focus; the link still opens it in its article.
(function () {
  let box = null;
  function show(event) {
    const link = event.currentTarget;
    const text = link.getAttribute("data-source");
    if (!text) return;
    box = document.createElement("div");
    box.className = "source-popover";
    box.textContent = text;  // text, never markup
    const place = link.getBoundingClientRect();
    box.style.left = window.scrollX + place.left + "px";
    box.style.top = window.scrollY + place.bottom + 6 + "px";
    document.body.appendChild(box);
  }
  function hide() { if (box) { box.remove(); box = null; } }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("a.cite[data-source]").forEach(function (link) {
      link.addEventListener("mouseenter", show);
      link.addEventListener("focus", show);
      link.addEventListener("mouseleave", hide);
      link.addEventListener("blur", hide);
    });
  });
})();
