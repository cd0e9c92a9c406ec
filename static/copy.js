// "Salin" buttons: copy the text of the element named by data-copy. Without JavaScript the
// buttons stay hidden and the text can be selected by hand.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var text = source.textContent.trim();
    var done = function () {
      var note = button.parentElement.querySelector(".copied");
      if (note) note.hidden = false;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      if (document.execCommand("copy")) done();
    }
  });
});
