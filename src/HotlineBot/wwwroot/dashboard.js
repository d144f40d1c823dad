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
function hideBrokenTile(image) {
    image.style.visibility = "hidden";
    image.closest(".map").classList.add("no-tiles");
}
document.addEventListener("error", function (event) {
    var image = event.target;
    if (image && image.tagName === "IMG" && image.closest && image.closest(".map")) hideBrokenTile(image);
}, true);
// Tiles that failed before this script ran (the prerendered page) or whose error event was missed.
setInterval(function () {
    document.querySelectorAll(".map .tiles img").forEach(function (image) {
        if (image.complete && image.naturalWidth === 0 && image.style.visibility !== "hidden") hideBrokenTile(image);
    });
}, 2000);
