/* Every page: size the brief's frame to its content (same origin, no script inside it). */
(function () {
  "use strict";
  var frame = document.getElementById("brief-frame");
  if (!frame) { return; }
  function fit() {
    try {
      var doc = frame.contentDocument;
      if (doc && doc.documentElement) {
        frame.style.height = Math.max(doc.documentElement.scrollHeight, 300) + 24 + "px";
      }
    } catch (err) { /* another origin: keep the stylesheet's height */ }
  }
  frame.addEventListener("load", fit);
  window.addEventListener("resize", fit);
  fit();
}());
