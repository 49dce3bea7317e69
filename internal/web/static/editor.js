// Turns the item body text area into a rich-text editor (Jodit, vendored in
// vendor/jodit/ with its licence). Loaded only by the staff item form. The
// text area stays the form field: Jodit writes the HTML back into it, and
// without JavaScript it is a plain text area that works as it is. The
// server cleans whatever arrives (Word and WPS styles, fonts, empty spans).
(function () {
  'use strict';
  function start() {
    var area = document.querySelector('textarea[data-editor="rich"]');
    if (!area || !window.Jodit) {
      return;
    }
    window.Jodit.make(area, {
      language: 'zh_cn',
      height: 480,
      toolbarAdaptive: false,
      buttons: ['paragraph', 'bold', 'italic', 'underline', '|', 'ul', 'ol', '|', 'table', 'link', 'image', '|', 'undo', 'redo', '|', 'source', 'fullsize'],
      // Keep the structure of pasted Word/WPS content; the server strips
      // its styles.
      askBeforePasteHTML: false,
      askBeforePasteFromWord: false,
      defaultActionOnPaste: 'insert_as_html',
      // Images are uploaded as attachments; here they are referenced by
      // address, never embedded as data URLs.
      uploader: { insertImageAsBase64URI: false },
      showCharsCounter: false,
      showWordsCounter: false,
      showXPathInStatusbar: false,
      showPlaceholder: false,
      // The HTML source view uses a plain text area: no code editor or
      // formatter is fetched from another site.
      sourceEditor: 'area',
      beautifyHTML: false,
      iframe: false
    });
    // Jodit's own helper inputs have no label; name them for screen readers.
    var inputs = document.querySelectorAll('.jodit-container input:not([aria-label]), .jodit-container textarea:not([aria-label])');
    for (var i = 0; i < inputs.length; i++) {
      inputs[i].setAttribute('aria-label', '编辑器辅助输入框');
    }
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
