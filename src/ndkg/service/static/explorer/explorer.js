// The search box of every page: an ARIA 1.2 combobox with a list of suggestions from
// /api/search. Arrow keys move through the suggestions, Enter opens the chosen term (or
// submits the search when none is chosen), Escape closes the list. Each suggestion shows the
// term in the words of the page's audience with its other name beside it, its definition, and
// what matched; an obsolete term (found only by its identifier) says what replaces it.
(function () {
  "use strict";

  const input = document.getElementById("site-search");
  const listbox = document.getElementById("site-search-options");
  const status = document.getElementById("site-search-status");
  if (!input || !listbox) {
    return;
  }

  const patient = document.documentElement.dataset.audience === "patient";
  let results = [];
  let active = -1;
  let timer = null;
  let latest = 0;

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function open() {
    if (results.length) {
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  }

  function highlight(index) {
    const options = listbox.querySelectorAll("[role=option]");
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function render(hits) {
    results = hits;
    listbox.replaceChildren();
    hits.forEach(function (hit, i) {
      const option = document.createElement("li");
      option.id = "site-search-option-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.url = hit.url;
      const label = document.createElement("span");
      label.className = "option-label";
      const lay = patient && hit.lay_label;
      label.textContent = lay ? hit.lay_label : hit.label;
      option.append(label);
      const other = lay ? "clinical term: " + hit.label
        : hit.lay_label ? "in everyday words: " + hit.lay_label : "";
      if (other) {
        const words = document.createElement("span");
        words.className = "option-words";
        words.textContent = other;
        option.append(words);
      }
      if (hit.obsolete) {
        const replaced = document.createElement("span");
        replaced.className = "option-obsolete";
        const by = (hit.replaced_by || []).map(function (r) { return r.label; }).join(" and ");
        replaced.textContent = "Obsolete" + (by ? " — replaced by " + by : "");
        option.append(replaced);
      } else if (hit.definition) {
        const definition = document.createElement("span");
        definition.className = "option-definition";
        definition.textContent = hit.definition;
        option.append(definition);
      }
      const detail = document.createElement("span");
      detail.className = "option-detail";
      const shown = [hit.label, hit.lay_label];
      const matched = shown.indexOf(hit.matched) < 0 ? hit.kind + ": " + hit.matched + " · " : "";
      detail.textContent = matched + hit.curie + " · " + hit.type;
      option.append(detail);
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
      });
      option.addEventListener("click", function () {
        window.location.assign(hit.url);
      });
      listbox.append(option);
    });
    active = -1;
    if (hits.length) {
      open();
    } else {
      close();
    }
    status.textContent = hits.length
      ? hits.length + " suggestion" + (hits.length === 1 ? "" : "s") + "; use the arrow keys to choose."
      : "No matching terms.";
  }

  async function suggest() {
    const query = input.value.trim();
    const ticket = ++latest;
    if (query.length < 2) {
      render([]);
      status.textContent = "";
      return;
    }
    try {
      const response = await fetch("/api/search?limit=8&q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
      });
      if (!response.ok || ticket !== latest) {
        return;
      }
      const body = await response.json();
      if (ticket === latest) {
        render(body.results);
      }
    } catch (error) {
      status.textContent = "Suggestions are not available.";
    }
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, 120);
  });

  input.addEventListener("keydown", function (event) {
    const count = results.length;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (listbox.hidden) {
        open();
      }
      if (count) {
        highlight((active + 1) % count);
      }
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (listbox.hidden) {
        open();
      }
      if (count) {
        highlight(active <= 0 ? count - 1 : active - 1);
      }
    } else if (event.key === "Enter") {
      if (!listbox.hidden && active >= 0 && results[active]) {
        event.preventDefault();
        window.location.assign(results[active].url);
      }
    } else if (event.key === "Escape") {
      if (!listbox.hidden) {
        event.preventDefault();
        close();
      } else {
        input.value = "";
      }
    } else if (event.key === "Tab") {
      close();
    }
  });

  input.addEventListener("blur", close);
  input.addEventListener("focus", open);
})();

// A link to a field of a form (a.field-link: "give age", a refused value) puts the cursor in
// the field, so it can be filled in at once.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    const link = event.target.closest("a.field-link");
    const field = link && document.getElementById(link.hash.slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    field.scrollIntoView({ block: "center" });
    field.focus();
  });
})();
