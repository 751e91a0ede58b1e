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

// A follow form registers its webhook through the API, the write token as the bearer token.
(function () {
  async function register(event) {
    event.preventDefault();
    const form = event.currentTarget, status = form.querySelector("output");
    const body = {
      url: form.url.value, about: form.getAttribute("data-about"), secret: form.secret.value || null,
      allow_private: form.allow_private.checked,
      kinds: Array.from(form.querySelectorAll("input[name=kinds]:checked")).map(function (box) { return box.value; }),
    };
    status.textContent = "Adding …";
    try {
      const answer = await fetch("/api/webhooks", {
        method: "POST", body: JSON.stringify(body),
        headers: {"Content-Type": "application/json", "Authorization": "Bearer " + form.token.value},
      });
      const reply = await answer.json();
      status.textContent = answer.ok
        ? "Webhook " + reply.id + " added: it hears about " + reply.kinds.join(" and ") + " from now on."
        : "Not added: " + (reply.error || answer.statusText);
      status.className = answer.ok ? "done" : "failed";
    } catch (failure) {
      status.textContent = "Not added: " + failure;
      status.className = "failed";
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.webhook").forEach(function (form) { form.addEventListener("submit", register); });
  });
})();
