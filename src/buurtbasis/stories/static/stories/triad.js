/* The triangle for a triad question (progressive enhancement).
 *
 * Without JavaScript the page shows three sliders; the server turns their values into
 * three shares that sum to one. With JavaScript a triangle replaces them: the point's
 * distance to each corner sets the three sliders (which are still submitted), by mouse,
 * touch or the arrow keys. No inline styles or scripts (Content-Security-Policy).
 */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  // Corners: a (top), b (bottom left), c (bottom right).
  var A = [150, 22], B = [22, 244], C = [278, 244];

  function el(name, attrs) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function weightsAt(x, y) {
    var det = (B[1] - C[1]) * (A[0] - C[0]) + (C[0] - B[0]) * (A[1] - C[1]);
    var wa = ((B[1] - C[1]) * (x - C[0]) + (C[0] - B[0]) * (y - C[1])) / det;
    var wb = ((C[1] - A[1]) * (x - C[0]) + (A[0] - C[0]) * (y - C[1])) / det;
    var w = [wa, wb, 1 - wa - wb].map(function (v) { return Math.max(0, v); });
    var sum = w[0] + w[1] + w[2] || 1;
    return w.map(function (v) { return v / sum; });
  }

  function pointFor(w) {
    return [w[0] * A[0] + w[1] * B[0] + w[2] * C[0], w[0] * A[1] + w[1] * B[1] + w[2] * C[1]];
  }

  function setUp(fieldset) {
    var inputs = fieldset.querySelectorAll("input[type=range]");
    if (inputs.length !== 3) { return; }
    var labels = (fieldset.getAttribute("data-labels") || "").split("|");
    var legend = fieldset.querySelector("legend");
    var na = fieldset.querySelector("input[type=checkbox]");
    var html = document.documentElement;
    var isNl = (html.getAttribute("lang") || "nl").indexOf("nl") === 0;

    var box = document.createElement("div");
    box.className = "bb-triad__box";
    var help = document.createElement("p");
    help.className = "help";
    help.id = fieldset.id ? fieldset.id + "-help" : "triad-help-" + Math.random().toString(36).slice(2);
    help.textContent = isNl
      ? "Tik of klik in de driehoek: hoe dichter bij een hoek, hoe meer dat meetelde in uw verhaal. Met het toetsenbord: gebruik de pijltjestoetsen."
      : "Tap or click in the triangle: the closer to a corner, the more it mattered in your story. With the keyboard: use the arrow keys.";
    var svg = el("svg", { viewBox: "0 0 300 290", "class": "bb-triad__svg", focusable: "false", "aria-hidden": "true" });
    svg.appendChild(el("polygon", { points: [A, B, C].map(function (p) { return p.join(","); }).join(" "), "class": "bb-triad__shape" }));
    var names = [[A, "middle", 12], [B, "start", 270], [C, "end", 270]];
    names.forEach(function (n, i) {
      var t = el("text", { x: n[0][0], y: n[2], "text-anchor": n[1], "class": "bb-triad__label" });
      t.textContent = labels[i] || "";
      svg.appendChild(t);
    });
    var dot = el("circle", { r: 10, "class": "bb-triad__dot" });
    svg.appendChild(dot);
    var pad = document.createElement("div");
    pad.className = "bb-triad__pad";
    pad.tabIndex = 0;
    pad.setAttribute("role", "group");
    pad.setAttribute("aria-label", legend ? legend.textContent : "");
    pad.setAttribute("aria-describedby", help.id);
    pad.appendChild(svg);
    var status = document.createElement("p");
    status.className = "bb-triad__status";
    status.setAttribute("aria-live", "polite");

    var w = [0, 1, 2].map(function (i) { return Number(inputs[i].value) || 0; });
    var total = w[0] + w[1] + w[2];
    w = total > 0 ? w.map(function (v) { return v / total; }) : [1 / 3, 1 / 3, 1 / 3];

    function show() {
      var p = pointFor(w);
      dot.setAttribute("cx", p[0].toFixed(1));
      dot.setAttribute("cy", p[1].toFixed(1));
      var pct = w.map(function (v) { return Math.round(v * 100); });
      pct[2] = 100 - pct[0] - pct[1];
      for (var i = 0; i < 3; i++) { inputs[i].value = String(pct[i]); }
      status.textContent = labels.map(function (l, i) { return l + ": " + pct[i] + "%"; }).join(", ");
      box.classList.toggle("bb-triad__box--off", !!(na && na.checked));
    }

    function fromEvent(event) {
      var rect = svg.getBoundingClientRect();
      var x = (event.clientX - rect.left) * 300 / rect.width;
      var y = (event.clientY - rect.top) * 290 / rect.height;
      w = weightsAt(x, y);
      if (na && na.checked) { na.checked = false; }
      show();
    }

    var dragging = false;
    svg.addEventListener("pointerdown", function (e) { dragging = true; svg.setPointerCapture(e.pointerId); fromEvent(e); e.preventDefault(); });
    svg.addEventListener("pointermove", function (e) { if (dragging) { fromEvent(e); } });
    svg.addEventListener("pointerup", function () { dragging = false; });
    pad.addEventListener("keydown", function (e) {
      var p = pointFor(w), step = 8;
      if (e.key === "ArrowUp") { p[1] -= step; }
      else if (e.key === "ArrowDown") { p[1] += step; }
      else if (e.key === "ArrowLeft") { p[0] -= step; }
      else if (e.key === "ArrowRight") { p[0] += step; }
      else { return; }
      e.preventDefault();
      w = weightsAt(p[0], p[1]);
      if (na && na.checked) { na.checked = false; }
      show();
    });
    if (na) { na.addEventListener("change", show); }

    box.appendChild(help);
    box.appendChild(pad);
    box.appendChild(status);
    var sliders = fieldset.querySelector(".bb-triad__sliders");
    fieldset.insertBefore(box, sliders);
    fieldset.classList.add("bb-triad--js");
    show();
  }

  // "No answer" is ticked until the teller moves a slider. With the script the box
  // decides, and the server is told so through the hidden field "scripted".
  function setUpDyad(question) {
    var slider = question.querySelector("input[type=range]");
    var na = question.querySelector("input[type=checkbox]");
    if (!slider || !na) { return; }
    slider.addEventListener("input", function () { na.checked = false; });
  }

  function markScripted(form) {
    var marker = document.createElement("input");
    marker.type = "hidden";
    marker.name = "scripted";
    marker.value = "1";
    form.appendChild(marker);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-triad]"), setUp);
    Array.prototype.forEach.call(document.querySelectorAll(".bb-question--dyad"), setUpDyad);
    Array.prototype.forEach.call(document.querySelectorAll("form.bb-story-form"), markScripted);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
