// @mentions in comment boxes: typing "@" and part of a name lists matching people (the server
// folds Vietnamese diacritics); picking one writes "@Full Name" and records the person's id in a
// hidden "mention" field, so the mention refers to that person even when two share a name.
// Without JavaScript, "@Full Name" typed by hand is found by the server all the same.
(function () {
  "use strict";

  var MENTION = /(^|[^\p{L}\p{N}])@([^@\n]{0,40})$/u;
  var state = { field: null, list: null, start: 0, items: [], active: -1, request: 0 };

  function close() {
    if (state.list) state.list.remove();
    state.list = null;
    state.items = [];
    state.active = -1;
  }

  function highlight(index) {
    state.active = index;
    state.items.forEach(function (item, i) {
      item.setAttribute("aria-selected", i === index ? "true" : "false");
      item.classList.toggle("active", i === index);
    });
    if (state.field && index >= 0) {
      state.field.setAttribute("aria-activedescendant", state.items[index].id);
    }
  }

  function pick(item) {
    var field = state.field;
    var form = field.form;
    var name = item.getAttribute("data-name");
    var caret = field.selectionStart;
    var before = field.value.slice(0, state.start);
    var after = field.value.slice(caret);
    var inserted = "@" + name + " ";
    field.value = before + inserted + after;
    var position = before.length + inserted.length;
    field.setSelectionRange(position, position);
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "mention";
    hidden.value = item.getAttribute("data-id");
    form.appendChild(hidden);
    close();
    field.focus();
  }

  function show(field, people) {
    close();
    if (!people.length) return;
    var list = document.createElement("ul");
    list.className = "mention-list";
    list.id = field.id + "-mentions";
    list.setAttribute("role", "listbox");
    people.forEach(function (person, index) {
      var item = document.createElement("li");
      item.id = list.id + "-" + index;
      item.setAttribute("role", "option");
      item.setAttribute("data-id", String(person.id));
      item.setAttribute("data-name", person.name);
      item.textContent = person.name;
      if (person.unit) {
        var unit = document.createElement("span");
        unit.className = "muted small";
        unit.textContent = " " + person.unit;
        item.appendChild(unit);
      }
      item.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus in the text box
        pick(item);
      });
      list.appendChild(item);
    });
    field.parentNode.appendChild(list);
    field.setAttribute("aria-controls", list.id);
    state.list = list;
    state.items = Array.prototype.slice.call(list.children);
    highlight(0);
  }

  function lookup(field) {
    var form = field.form;
    var source = form && form.getAttribute("data-mention-source");
    if (!source) return;
    var match = MENTION.exec(field.value.slice(0, field.selectionStart));
    if (!match) {
      close();
      return;
    }
    state.field = field;
    state.start = field.selectionStart - match[2].length - 1;
    var ticket = ++state.request;
    var url = source + "?q=" + encodeURIComponent(match[2]);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : { people: [] };
      })
      .then(function (data) {
        if (ticket === state.request && document.activeElement === field) show(field, data.people);
      })
      .catch(close);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-mentions]")) lookup(event.target);
  });

  document.addEventListener("keydown", function (event) {
    if (!state.list || event.target !== state.field) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      highlight((state.active + step + state.items.length) % state.items.length);
    } else if ((event.key === "Enter" || event.key === "Tab") && state.active >= 0) {
      event.preventDefault();
      pick(state.items[state.active]);
    } else if (event.key === "Escape") {
      close();
    }
  });

  document.addEventListener("focusout", function (event) {
    if (event.target === state.field) close();
  });
})();
