// A button with data-confirm="…" asks before an irreversible step (提交, 不予通过, 发布). It
// listens in the capture phase, so a refusal stops the click before htmx or the form sees it.
// Without JavaScript the form still works, without the question.
document.addEventListener(
  "click",
  function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopPropagation();
    }
  },
  true
);
