// Pictures of the graph drawn with cytoscape: every element with data-graph and data-src gets
// the elements served at data-src. "neighbourhood" puts the term in the middle of its direct
// relations; "chain" lays the causal chain out in rows, one stage after another. Selecting a
// node opens its page. The drawn graphs are kept in window.ndkgGraphs by name.
(function () {
  "use strict";

  const script = document.currentScript;
  const focus = script ? script.dataset.focus : null;
  const STAGES = { trigger: 0, reflex: 1, release: 2, hormone: 3, contraction: 3, cell: 4, outcome: 5 };
  const STAGE_COLOURS = {
    trigger: "#e6f0fb", reflex: "#fff4e0", release: "#e7f5ea", hormone: "#e7f5ea",
    contraction: "#f3e8fb", cell: "#f3e8fb", outcome: "#fdecec",
  };
  window.ndkgGraphs = window.ndkgGraphs || {};

  const baseStyle = [
    {
      selector: "node",
      style: {
        "background-color": "#0b5cad",
        label: "data(label)",
        color: "#1d2330",
        "font-size": 11,
        "text-wrap": "wrap",
        "text-max-width": 120,
        "text-valign": "bottom",
        "text-margin-y": 4,
        "text-background-color": "#fbfcfe",
        "text-background-opacity": 0.9,
        "text-background-padding": 1,
        width: 18,
        height: 18,
      },
    },
    {
      selector: "edge",
      style: {
        width: 1.5,
        "curve-style": "bezier",
        "line-color": "#8a94a6",
        "target-arrow-color": "#8a94a6",
        "target-arrow-shape": "triangle",
        label: "data(label)",
        "font-size": 9,
        color: "#4f5868",
        "text-rotation": "autorotate",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.85,
        "text-background-padding": 2,
      },
    },
    {
      selector: "node[role = 'center'], node.focus",
      style: { "background-color": "#c2410c", width: 28, height: 28, "font-weight": "bold" },
    },
  ];

  const chainStyle = [
    {
      selector: "node",
      style: {
        shape: "round-rectangle",
        width: 156,
        height: 54,
        "background-color": function (node) {
          return STAGE_COLOURS[node.data("role")] || "#f4f6f9";
        },
        "border-width": 1,
        "border-color": "#0b5cad",
        label: "data(label)",
        color: "#1d2330",
        "font-size": 14,
        "text-wrap": "wrap",
        "text-max-width": 146,
        "text-valign": "center",
        "text-halign": "center",
        "text-background-opacity": 0,
      },
    },
    {
      selector: "node.focus",
      style: { "border-width": 4, "border-color": "#c2410c", "font-weight": "bold" },
    },
    {
      // The reflex causes the outcome: bow that long edge aside, clear of the stages between.
      selector: "edge[predicate = 'http://purl.obolibrary.org/obo/RO_0003303']",
      style: { "curve-style": "unbundled-bezier", "control-point-distances": 420, "control-point-weights": 0.5 },
    },
  ];

  // Positions for the chain: one row per stage, wrapped at two to four nodes as the width
  // allows, stages in the order of STAGES, rows centred.
  function chainPositions(nodes, width) {
    const perRow = Math.min(4, Math.max(2, Math.floor(width / 180)));
    const rows = [];
    const byStage = {};
    nodes.forEach(function (node) {
      const stage = STAGES[node.data("role")] ?? 6;
      (byStage[stage] = byStage[stage] || []).push(node);
    });
    Object.keys(byStage).map(Number).sort(function (a, b) { return a - b; }).forEach(function (stage) {
      const members = byStage[stage];
      for (let i = 0; i < members.length; i += perRow) {
        rows.push(members.slice(i, i + perRow));
      }
    });
    const positions = {};
    rows.forEach(function (row, r) {
      row.forEach(function (node, c) {
        positions[node.id()] = { x: (c - (row.length - 1) / 2) * 172, y: r * 86 };
      });
    });
    return positions;
  }

  async function draw(container) {
    const name = container.dataset.graph;
    const response = await fetch(container.dataset.src, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      container.textContent = "The picture could not be loaded.";
      return;
    }
    const body = await response.json();
    const chain = name === "chain";
    const cy = window.cytoscape({
      container: container,
      elements: body.elements,
      style: chain ? baseStyle.concat(chainStyle) : baseStyle,
      layout: { name: "preset" },
      userZoomingEnabled: false,
      userPanningEnabled: false,
      boxSelectionEnabled: false,
    });
    if (focus) {
      cy.getElementById(focus).addClass("focus");
    }
    const layout = chain
      ? { name: "preset", positions: chainPositions(cy.nodes(), container.clientWidth), fit: true, padding: 24 }
      : {
          name: "concentric",
          concentric: function (node) { return node.data("role") === "center" ? 2 : 1; },
          levelWidth: function () { return 1; },
          minNodeSpacing: 50,
          fit: true,
          padding: 30,
        };
    cy.one("layoutstop", function () {
      container.dataset.ready = "true";
    });
    cy.layout(layout).run();
    cy.on("tap", "node", function (event) {
      window.location.assign(event.target.data("url"));
    });
    window.addEventListener("resize", function () {
      cy.resize();
      cy.fit(undefined, chain ? 24 : 30);
    });
    window.ndkgGraphs[name] = cy;
  }

  document.querySelectorAll("[data-graph][data-src]").forEach(function (container) {
    draw(container);
  });
})();
