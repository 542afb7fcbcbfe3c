/* Plan form: a click on the map marks the place without reloading the whole page.
   Without this file the map still works: it is an <input type="image">, so a click submits
   the form with the x and y of the click and the server shows the form again with the place.
   Here the same request goes through htmx and only the "Where" part is replaced. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var map = event.target.closest ? event.target.closest("input.location-map") : null;
    // a keyboard "click" (detail 0) has no place: the server explains what to do instead
    if (!map || !window.htmx || event.detail === 0) {
      return;
    }
    event.preventDefault();
    var form = map.form;
    window.htmx.ajax("POST", form.getAttribute("action") || window.location.href, {
      source: form,
      values: { "map.x": String(Math.round(event.offsetX)), "map.y": String(Math.round(event.offsetY)) },
      target: "#plan-place",
      select: "#plan-place",
      swap: "outerHTML"
    });
  });
})();
