// Search on the static site: the words are looked up in search-index.json
// (title, date and text of every telegram), all in the browser.
(function () {
  "use strict";
  var hits = document.getElementById("hits");
  var q = new URLSearchParams(location.search).get("q") || "";
  var words = q.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) { return; }
  fetch(hits.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (index) {
    var found = index.filter(function (t) {
      var hay = (t.title + " " + t.text).toLowerCase();
      return words.every(function (w) { return hay.indexOf(w) >= 0; });
    });
    var count = document.createElement("p");
    count.className = "count";
    count.textContent = found.length + " telegram" + (found.length === 1 ? "" : "s") + " with every word.";
    hits.appendChild(count);
    var list = document.createElement("ol");
    list.className = "hits";
    found.forEach(function (t) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = t.href;
      a.textContent = t.title || t.href;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" " + (t.date || "")));
      list.appendChild(li);
    });
    hits.appendChild(list);
  });
})();
