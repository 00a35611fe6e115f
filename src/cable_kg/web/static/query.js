// The query page: choosing a saved query fills in its text and its parameter fields.
// Without JavaScript the "Load" button does the same through the server.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("saved-queries").textContent);
  var byName = {};
  data.forEach(function (q) { byName[q.name] = q; });
  var select = document.getElementById("saved");
  var text = document.getElementById("query");
  var params = document.getElementById("params");
  var description = document.getElementById("description");
  var load = document.getElementById("load");
  if (load) { load.hidden = true; }

  function field(p) {
    var row = document.createElement("p");
    row.className = "param";
    var label = document.createElement("label");
    label.htmlFor = "p-" + p.name;
    label.textContent = p.name + (p.optional ? "" : " *");
    var input = document.createElement("input");
    input.id = "p-" + p.name;
    input.name = "p." + p.name;
    input.placeholder = p.type;
    input.title = p.doc;
    input.required = !p.optional;
    if (p.type === "date") { input.type = "date"; }
    var doc = document.createElement("span");
    doc.className = "doc";
    doc.textContent = p.doc;
    row.appendChild(label); row.appendChild(document.createTextNode(" "));
    row.appendChild(input); row.appendChild(document.createTextNode(" "));
    row.appendChild(doc);
    return row;
  }

  select.addEventListener("change", function () {
    var q = byName[select.value];
    params.textContent = "";
    if (!q) { description.textContent = ""; return; }
    text.value = q.text;
    description.textContent = q.description;
    q.params.forEach(function (p) { params.appendChild(field(p)); });
  });
})();
