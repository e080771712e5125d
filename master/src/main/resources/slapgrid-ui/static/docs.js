// The API docs page: Swagger UI rendering the master's own openapi.yaml (no inline script).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var el = document.getElementById("swagger");
  if (!el || typeof SwaggerUIBundle === "undefined") { return; }
  SwaggerUIBundle({ url: el.getAttribute("data-spec"), domNode: el, deepLinking: false, validatorUrl: null,
    tryItOutEnabled: false, supportedSubmitMethods: [] });
});
