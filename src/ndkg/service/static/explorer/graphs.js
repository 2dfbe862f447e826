// Pictures of the graph drawn with cytoscape: every element with data-graph and data-src gets
// the elements served at data-src (in the page's words: data-audience of <html>).
// "neighbourhood" puts the term in the middle and its relations on a ring that fills the
// canvas; "chain" lays the causal chain out left to right, one column per stage (trigger,
// reflex, hormone release, hormone, cells, leaking). Labels sit inside the boxes at 14 px and
// are never drawn smaller than 12 px: on a narrow screen the picture is zoomed to that size
// and can be panned. Each relation has its colour, named in a legend under the picture; an
// edge's label shows while the pointer is on it or on one of its ends. Zoom buttons, the
// mouse wheel and pinching zoom; dragging pans. Selecting a node opens its page. The drawn
// graphs are kept in window.ndkgGraphs by name.
(function () {
  "use strict";

  const script = document.currentScript;
  const focus = script ? script.dataset.focus : null;
  const audience = document.documentElement.dataset.audience || "";
  const FONT = 14;
  const MIN_FONT = 12;
  const NODE_W = 168;
  const NODE_H = 58;
  const CHAIN_W = 150;
  const STAGES = ["trigger", "reflex", "release", "hormone", "contraction", "cell", "outcome"];
  const COLUMN = { trigger: 0, reflex: 1, release: 2, hormone: 3, contraction: 3, cell: 4, outcome: 5 };
  const STAGE_NAMES = {
    trigger: "Trigger", reflex: "Reflex", release: "Hormone release", hormone: "Hormone",
    contraction: "Cell contraction", cell: "Cell", outcome: "Outcome",
  };
  const STAGE_COLOURS = {
    trigger: "#dbeafe", reflex: "#fde68a", release: "#bbf7d0", hormone: "#a7f3d0",
    contraction: "#e9d5ff", cell: "#f5d0fe", outcome: "#fecaca",
  };
  const KIND_COLOURS = { center: "#fed7aa", own: "#dbeafe", external: "#e5e7eb" };
  const KIND_NAMES = { center: "This term", own: "ndkg term", external: "Term of another ontology" };
  const PALETTE = ["#1d4ed8", "#b45309", "#047857", "#9d174d", "#6d28d9", "#0e7490", "#4d7c0f", "#be123c"];
  window.ndkgGraphs = window.ndkgGraphs || {};

  function kindOf(node) {
    if (node.data("role") === "center") return "center";
    return node.data("url").startsWith("/term") ? "external" : "own";
  }

  function style(colours) {
    return [
      {
        selector: "node",
        style: {
          shape: "round-rectangle",
          width: NODE_W,
          height: NODE_H,
          "background-color": "data(fill)",
          "border-width": 1,
          "border-color": "#475569",
          label: "data(label)",
          color: "#111827",
          "font-size": FONT,
          "text-wrap": "wrap",
          "text-max-width": NODE_W - 14,
          "text-valign": "center",
          "text-halign": "center",
        },
      },
      { selector: "node.focus", style: { "border-width": 4, "border-color": "#c2410c", "font-weight": "bold" } },
      {
        selector: "edge",
        style: {
          width: 2.5,
          "curve-style": "bezier",
          "line-color": "data(colour)",
          "target-arrow-color": "data(colour)",
          "target-arrow-shape": "triangle",
          "arrow-scale": 1.4,
          label: "",
          "font-size": FONT,
          color: "#111827",
          "text-background-color": "#ffffff",
          "text-background-opacity": 1,
          "text-background-padding": 3,
          "text-border-width": 1,
          "text-border-color": "data(colour)",
          "text-border-opacity": 1,
          "z-index": 1,
        },
      },
      { selector: "edge[dashed = 'yes']", style: { "line-style": "dashed" } },
      { selector: "edge.show", style: { label: "data(label)", width: 4, "z-index": 10 } },
    ].concat(colours);
  }

  function colourEdges(edges) {
    const colours = {};
    const legend = [];
    edges.forEach(function (edge) {
      const predicate = edge.data.predicate;
      if (!(predicate in colours)) {
        colours[predicate] = edge.data.label === "is a" ? "#64748b" : PALETTE[legend.filter(function (l) { return l.label !== "is a"; }).length % PALETTE.length];
        legend.push({ label: edge.data.label, colour: colours[predicate], dashed: edge.data.label === "is a" });
      }
      edge.data.colour = colours[predicate];
      edge.data.dashed = edge.data.label === "is a" ? "yes" : "no";
    });
    return legend;
  }

  // The chain: one column per stage, left to right; nodes of a column stacked and centred.
  function chainPositions(nodes) {
    const columns = {};
    nodes.forEach(function (node) {
      const column = COLUMN[node.data("role")] ?? 6;
      (columns[column] = columns[column] || []).push(node);
    });
    const positions = {};
    Object.keys(columns).forEach(function (column) {
      const members = columns[column];
      members.forEach(function (node, i) {
        positions[node.id()] = { x: Number(column) * (CHAIN_W + 28), y: (i - (members.length - 1) / 2) * (NODE_H + 14) };
      });
    });
    // Many nodes of the first stage fan out on an arc round the next stage, so that every
    // arrow reaches it without crossing another box.
    const first = columns[0] || [];
    const next = (columns[1] || [])[0];
    if (first.length > 3 && next) {
      const centre = positions[next.id()];
      const step = NODE_H + 12;
      const top = ((first.length - 1) / 2) * step;
      const radius = Math.max(CHAIN_W * 1.5, top / 0.85);
      first.forEach(function (node, i) {
        const y = (i - (first.length - 1) / 2) * step;
        positions[node.id()] = { x: centre.x - Math.sqrt(radius * radius - y * y) - CHAIN_W * 0.2, y: centre.y + y };
      });
    }
    return positions;
  }

  // The neighbourhood: the term in the middle, its relations on an ellipse as wide as the
  // canvas allows, far enough apart that no two boxes touch.
  function ringPositions(nodes, width, height) {
    const centre = nodes.filter(function (n) { return n.data("role") === "center"; });
    const others = nodes.filter(function (n) { return n.data("role") !== "center"; })
      .sort(function (a, b) { return a.data("label").localeCompare(b.data("label")); });
    const positions = {};
    centre.forEach(function (n) { positions[n.id()] = { x: 0, y: 0 }; });
    const count = others.length;
    const aspect = Math.max(1, Math.min(2.2, width / Math.max(height, 1)));
    let ry = Math.max(NODE_H * 2.2, (count * (NODE_H + 16)) / (2 * Math.PI) * 1.2);
    let rx = Math.max(NODE_W * 1.4, ry * aspect);
    // Grow until neighbours on the ring are a box apart.
    for (let tries = 0; tries < 40; tries++) {
      let ok = true;
      for (let i = 0; i < count && ok; i++) {
        const a = (2 * Math.PI * i) / count;
        const b = (2 * Math.PI * (i + 1)) / count;
        const dx = Math.abs(rx * Math.cos(a) - rx * Math.cos(b));
        const dy = Math.abs(ry * Math.sin(a) - ry * Math.sin(b));
        ok = dx > NODE_W + 12 || dy > NODE_H + 12;
      }
      if (ok || count < 2) break;
      rx *= 1.08;
      ry *= 1.08;
    }
    others.forEach(function (n, i) {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(count, 1);
      positions[n.id()] = { x: rx * Math.cos(angle), y: ry * Math.sin(angle) };
    });
    return positions;
  }

  function readable(cy, anchor) {
    cy.fit(undefined, 20);
    if (cy.zoom() * FONT < MIN_FONT) {
      cy.zoom(MIN_FONT / FONT);
      // Too small to read whole: start from the anchor (the term, or the chain's first stage),
      // kept in view from the left edge of the picture where it can be.
      const target = anchor && anchor.length ? anchor : cy.nodes();
      const box = target.boundingBox();
      const all = cy.nodes().boundingBox();
      const zoom = cy.zoom();
      const centred = cy.width() / 2 - zoom * (box.x1 + box.x2) / 2;
      const fromLeft = 20 - zoom * all.x1;
      cy.pan({
        x: Math.min(fromLeft, Math.max(centred, cy.width() - 20 - zoom * box.x2)),
        y: cy.height() / 2 - zoom * (box.y1 + box.y2) / 2,
      });
    }
  }

  function legendFor(container, chain, relations, cy) {
    const legend = document.createElement("div");
    legend.className = "graph-legend";
    const kinds = document.createElement("ul");
    kinds.setAttribute("aria-label", chain ? "Stages" : "Kinds of node");
    const seen = [];
    cy.nodes().forEach(function (node) {
      const key = chain ? node.data("role") : kindOf(node);
      if (key && seen.indexOf(key) < 0) seen.push(key);
    });
    const order = chain ? STAGES : ["center", "own", "external"];
    order.filter(function (k) { return seen.indexOf(k) >= 0; }).forEach(function (key) {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch node";
      swatch.style.background = chain ? STAGE_COLOURS[key] : KIND_COLOURS[key];
      item.append(swatch, document.createTextNode(chain ? STAGE_NAMES[key] : KIND_NAMES[key]));
      kinds.append(item);
    });
    const edges = document.createElement("ul");
    edges.setAttribute("aria-label", "Relations");
    relations.forEach(function (relation) {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch edge" + (relation.dashed ? " dashed" : "");
      swatch.style.borderColor = relation.colour;
      item.append(swatch, document.createTextNode(relation.label));
      edges.append(item);
    });
    const hint = document.createElement("p");
    hint.className = "hint";
    hint.textContent = "Point at an arrow or a box to name its relations; zoom with the buttons, the wheel or two fingers; drag to move.";
    legend.append(kinds, edges, hint);
    container.closest("figure").insertBefore(legend, container.closest("figure").querySelector("figcaption"));
  }

  function zoomButtons(container, cy, reset) {
    const bar = document.createElement("div");
    bar.className = "graph-zoom";
    [["+", "Zoom in", function () { cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } }); }],
     ["−", "Zoom out", function () { cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } }); }],
     ["Fit", "Show the whole picture", function () { cy.fit(undefined, 20); }],
     ["Reset", "Back to the first view", reset]].forEach(function (spec) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = spec[0];
      button.setAttribute("aria-label", spec[1]);
      button.addEventListener("click", spec[2]);
      bar.append(button);
    });
    container.parentNode.insertBefore(bar, container);
  }

  async function draw(container) {
    const name = container.dataset.graph;
    const src = container.dataset.src + (audience ? (container.dataset.src.indexOf("?") < 0 ? "?" : "&") + "audience=" + audience : "");
    const response = await fetch(src, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      container.textContent = "The picture could not be loaded.";
      return;
    }
    const body = await response.json();
    const chain = name === "chain";
    const relations = colourEdges(body.elements.edges);
    body.elements.nodes.forEach(function (node) {
      const data = node.data;
      data.fill = chain ? (STAGE_COLOURS[data.role] || "#f1f5f9")
        : (data.role === "center" ? KIND_COLOURS.center : (data.url.startsWith("/term") ? KIND_COLOURS.external : KIND_COLOURS.own));
    });
    const cy = window.cytoscape({
      container: container,
      elements: body.elements,
      style: style(chain ? [{ selector: "node", style: { width: CHAIN_W, "text-max-width": CHAIN_W - 12 } }, {
        // The reflex causes the outcome: that long edge goes round above the stages between.
        selector: "edge[predicate = 'http://purl.obolibrary.org/obo/RO_0003303']",
        style: { "curve-style": "unbundled-bezier", "control-point-distances": -(NODE_H * 2.2), "control-point-weights": 0.5 },
      }] : []),
      layout: { name: "preset" },
      minZoom: 0.2,
      maxZoom: 3,
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
      autoungrabify: true,
    });
    if (focus) {
      cy.getElementById(focus).addClass("focus");
    }
    const positions = chain ? chainPositions(cy.nodes())
      : ringPositions(cy.nodes(), container.clientWidth, container.clientHeight);
    const anchor = chain ? cy.nodes("[role = 'trigger']") : cy.nodes("[role = 'center']");
    const reset = function () { readable(cy, focus ? cy.getElementById(focus) : anchor); };
    cy.one("layoutstop", function () {
      reset();
      container.dataset.ready = "true";
    });
    cy.layout({ name: "preset", positions: positions, fit: false }).run();
    cy.on("mouseover", "edge", function (event) { event.target.addClass("show"); });
    cy.on("mouseout", "edge", function (event) { event.target.removeClass("show"); });
    cy.on("mouseover", "node", function (event) { event.target.connectedEdges().addClass("show"); });
    cy.on("mouseout", "node", function (event) { event.target.connectedEdges().removeClass("show"); });
    cy.on("tap", "edge", function (event) { event.target.toggleClass("show"); });
    cy.on("tap", "node", function (event) {
      window.location.assign(event.target.data("url"));
    });
    legendFor(container, chain, relations, cy);
    zoomButtons(container, cy, reset);
    window.addEventListener("resize", function () {
      cy.resize();
      reset();
    });
    window.ndkgGraphs[name] = cy;
  }

  document.querySelectorAll("[data-graph][data-src]").forEach(function (container) {
    draw(container);
  });
})();
