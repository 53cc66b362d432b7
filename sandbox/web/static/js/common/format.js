/**
 * How values read on the pages: en-GB, as the council's Fusion shows them.
 */
define([], function () {
  'use strict';

  var AMOUNT = new Intl.NumberFormat('en-GB', {
    minimumFractionDigits: 2, maximumFractionDigits: 2
  });
  var QUANTITY = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 4 });

  function missing(value) {
    return value === null || value === undefined || value === '';
  }

  function pad(n) {
    return (n < 10 ? '0' : '') + n;
  }

  return {
    /** 1234.5 → "1,234.50"; empty for no value. */
    amount: function (value) {
      return missing(value) ? '' : AMOUNT.format(Number(value));
    },
    /** 12.5 → "12.5". */
    quantity: function (value) {
      return missing(value) ? '' : QUANTITY.format(Number(value));
    },
    /**
     * "2026-05-01" or "2026-05-01T10:00:00Z" → "01/05/2026". Date-only values are read as
     * calendar dates (no time zone shift); date-times in the browser's zone.
     */
    date: function (value) {
      if (!value) {
        return '';
      }
      var text = String(value);
      var dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      if (dateOnly) {
        return dateOnly[3] + '/' + dateOnly[2] + '/' + dateOnly[1];
      }
      var d = new Date(text);
      if (isNaN(d.getTime())) {
        return text;
      }
      return pad(d.getDate()) + '/' + pad(d.getMonth() + 1) + '/' + d.getFullYear();
    }
  };
});
