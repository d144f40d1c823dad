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
