/* Progressive enhancement of the site, without any framework.

   Disclosures: without this script every list stays open. With it, each button
   marked data-disclosure shows and hides the region it controls
   (aria-controls), and what stood in for it without a script
   (data-disclosure-fallback) goes; the stylesheet collapses those regions on
   small screens only.

   Combobox: a [data-combobox] block (hidden without this script) becomes a
   text field with a list box, the WAI-ARIA combobox pattern, over the links of
   the element it names: typing filters them, the arrow keys move through
   them, Enter follows the chosen one, Escape closes the list. The links stay
   as they are, usable with or without it. */
(function () {
    "use strict";
    document.querySelectorAll("[data-disclosure]").forEach(function (button) {
        var id = button.getAttribute("aria-controls");
        var target = document.getElementById(id);
        if (!target) {
            return;
        }
        button.hidden = false;
        button.setAttribute("aria-expanded", "false");
        target.classList.add("is-collapsible");
        document.querySelectorAll("[data-disclosure-fallback]").forEach(function (element) {
            if (element.getAttribute("data-disclosure-fallback") === id) {
                element.hidden = true;
            }
        });
        button.addEventListener("click", function () {
            var open = button.getAttribute("aria-expanded") !== "true";
            button.setAttribute("aria-expanded", open ? "true" : "false");
            target.classList.toggle("is-open", open);
        });
    });

    function folded(text) {
        return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
    }

    document.querySelectorAll("[data-combobox]").forEach(function (block) {
        var source = document.getElementById(block.getAttribute("data-combobox"));
        var input = block.querySelector("[role=combobox]");
        var listbox = block.querySelector("[role=listbox]");
        if (!source || !input || !listbox) {
            return;
        }
        var choices = Array.prototype.map.call(
            source.querySelectorAll("a[data-label]"),
            function (link, index) {
                var option = document.createElement("li");
                option.id = listbox.id + "-" + index;
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                option.textContent = link.getAttribute("data-label") + " (" + link.getAttribute("data-count") + ")";
                option.addEventListener("mousedown", function (event) {
                    event.preventDefault();  // keeps the focus in the field
                });
                option.addEventListener("click", function () {
                    window.location.assign(link.href);
                });
                return {option: option, link: link, key: folded(link.getAttribute("data-label"))};
            }
        );
        var shown = [];
        var active = -1;

        function activate(index) {
            if (active >= 0 && shown[active]) {
                shown[active].option.setAttribute("aria-selected", "false");
            }
            active = index;
            if (index < 0) {
                input.removeAttribute("aria-activedescendant");
                return;
            }
            var option = shown[index].option;
            option.setAttribute("aria-selected", "true");
            input.setAttribute("aria-activedescendant", option.id);
            option.scrollIntoView({block: "nearest"});
        }

        function close() {
            activate(-1);
            listbox.hidden = true;
            input.setAttribute("aria-expanded", "false");
        }

        function open() {
            var typed = folded(input.value.trim());
            shown = choices.filter(function (choice) {
                return choice.key.indexOf(typed) !== -1;
            });
            listbox.replaceChildren.apply(listbox, shown.map(function (choice) {
                return choice.option;
            }));
            active = -1;
            input.removeAttribute("aria-activedescendant");
            listbox.hidden = shown.length === 0;
            input.setAttribute("aria-expanded", shown.length ? "true" : "false");
        }

        input.addEventListener("input", open);
        input.addEventListener("blur", close);
        input.addEventListener("keydown", function (event) {
            var expanded = input.getAttribute("aria-expanded") === "true";
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
                event.preventDefault();
                if (!expanded) {
                    open();
                }
                if (!shown.length) {
                    return;
                }
                var step = event.key === "ArrowDown" ? 1 : -1;
                var next = active < 0 ? (step > 0 ? 0 : shown.length - 1) : (active + step + shown.length) % shown.length;
                activate(next);
            } else if (event.key === "Enter") {
                if (expanded && active >= 0) {
                    event.preventDefault();
                    window.location.assign(shown[active].link.href);
                } else if (expanded && shown.length === 1) {
                    event.preventDefault();
                    window.location.assign(shown[0].link.href);
                }
            } else if (event.key === "Escape") {
                if (expanded) {
                    event.preventDefault();
                    close();
                } else {
                    input.value = "";
                }
            }
        });
        block.hidden = false;
    });
})();
