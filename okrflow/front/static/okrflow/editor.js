// The OKR editor: "Fill from sentence" reads a typed key result and fills its shape and fields.
(function () {
  "use strict";

  function fill(row, prefix, fields) {
    Object.keys(fields).forEach(function (name) {
      var input = row.querySelector("[name='" + prefix + "-" + name + "']");
      if (!input) return;
      input.value = fields[name];
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    if (fields.shape) row.dataset.shape = fields.shape;
  }

  function showNotes(row, notes) {
    var box = row.querySelector(".suggest-notes");
    if (!box) {
      box = document.createElement("div");
      box.className = "suggest-notes";
      box.setAttribute("role", "status");
      row.querySelector(".field-title").appendChild(box);
    }
    box.textContent = notes.join(" ");
  }

  // A key result's shape picker shows the fields of that shape.
  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-kr-shape]");
    if (select) select.closest(".kr-row").dataset.shape = select.value;
  });

  // "Add a key result" (htmx) asks for the row numbered by #kr-count, then counts it.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.id !== "add-kr") return;
    event.detail.parameters.index = document.getElementById("kr-count").value;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt.id !== "add-kr" || !event.detail.successful) return;
    var count = document.getElementById("kr-count");
    count.value = parseInt(count.value, 10) + 1;
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".parse-button");
    if (!button) return;
    var prefix = button.dataset.prefix;
    var row = button.closest(".kr-row");
    var title = row.querySelector("[name='" + prefix + "-title']");
    var url = button.dataset.parseUrl + "?text=" + encodeURIComponent(title.value);
    fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        fill(row, prefix, data.fields || {});
        showNotes(row, data.notes || []);
      });
  });

  // A failed save: the summary at the top names the errors; focus goes to the first one's field.
  function focusField(id) {
    var target = document.getElementById(id);
    if (!target) return false;
    var field = target.matches("input, select, textarea, button")
      ? target
      : target.querySelector("input:not([type=hidden]), select, textarea");
    (field || target).focus();
    (field || target).scrollIntoView({ block: "center" });
    return true;
  }
  function focusFirstError() {
    var summary = document.querySelector("[data-focus-first-error]");
    if (!summary) return;
    var first = summary.querySelector("a[href^='#']");
    if (!first || !focusField(first.getAttribute("href").slice(1))) summary.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirstError);
  } else {
    focusFirstError();
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a[href^='#']");
    if (link && focusField(link.getAttribute("href").slice(1))) event.preventDefault();
  });
})();
