/* Progressive enhancement of the site's navigation, without any framework.
   Without this script every list stays open. With it, each button marked
   data-disclosure shows and hides the list it controls (aria-controls); the
   stylesheet collapses those lists on small screens only. */
(function () {
    "use strict";
    document.querySelectorAll("[data-disclosure]").forEach(function (button) {
        var target = document.getElementById(button.getAttribute("aria-controls"));
        if (!target) {
            return;
        }
        button.hidden = false;
        button.setAttribute("aria-expanded", "false");
        target.classList.add("is-collapsible");
        button.addEventListener("click", function () {
            var open = button.getAttribute("aria-expanded") !== "true";
            button.setAttribute("aria-expanded", open ? "true" : "false");
            target.classList.toggle("is-open", open);
        });
    });
})();
