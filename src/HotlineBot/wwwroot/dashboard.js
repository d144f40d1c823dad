// HotlineBot dashboard: the little the pages need from the browser, in a file (the CSP allows no inline script).
window.hotline = {
    // The simulator's screen shows its newest message.
    scrollToEnd: function (element) {
        if (element) element.scrollTop = element.scrollHeight;
    },
};
// "Reload" links in the connection-lost banner.
document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.reload");
    if (link) {
        event.preventDefault();
        location.reload();
    }
});
// A map tile that cannot load (no internet, the tile server down) is hidden and the map says so; pins and the list stay.
document.addEventListener("error", function (event) {
    var image = event.target;
    if (image && image.tagName === "IMG" && image.closest && image.closest(".map")) {
        image.style.visibility = "hidden";
        image.closest(".map").classList.add("no-tiles");
    }
}, true);
