/**
 * The UI variant's texts and the paths pages link to, as the server put them in the page.
 *
 * Fusion releases and tenants word the same pages differently (sandbox/ui_variants.py holds
 * every such text, per variant). The server fills labels into the page templates itself
 * (`%{key}`); what a script composes (a heading with the order number, a confirmation, a list's
 * option text) it reads here, from the JSON block <script id="sbx-page-config"> in the head:
 *
 *   ui.text('po.order.heading', { number: '1004542' })   // "Purchase Order 1004542"
 *   ui.path('purchaseOrder', 300000060000001)            // the order page's URL
 *
 * A key the page doesn't have is a programming error: it throws rather than show a blank.
 */
define([], function () {
  'use strict';

  var CONFIG_ID = 'sbx-page-config';
  var PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

  function readConfig() {
    var element = document.getElementById(CONFIG_ID);
    if (!element) {
      throw new Error('This page has no #' + CONFIG_ID + ': is it served by the sandbox?');
    }
    return JSON.parse(element.textContent);
  }

  var config = readConfig();

  /** `template` with each {name} replaced by values[name] (unknown names are left as they are). */
  function fill(template, values) {
    return template.replace(PLACEHOLDER, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) &&
        values[name] !== null && values[name] !== undefined ? String(values[name]) : whole;
    });
  }

  function lookup(table, kind, key) {
    if (!Object.prototype.hasOwnProperty.call(table, key)) {
      throw new Error('Unknown ' + kind + ': ' + key);
    }
    return table[key];
  }

  /** The variant's text for `key`, its {placeholders} filled from `values` when given. */
  function text(key, values) {
    var template = lookup(config.texts, 'text', key);
    return values ? fill(template, values) : template;
  }

  /** A page's URL; `id` (URL-encoded) takes the place of {id}. */
  function path(name, id) {
    var template = lookup(config.paths, 'path', name);
    return id === undefined ? template : template.replace('{id}', encodeURIComponent(id));
  }

  return {
    variant: config.variant,
    text: text,
    path: path,
    fill: fill,
    /** JET translations the variant words differently (e.g. select_noMatchesFound). */
    jetTranslations: function () { return config.jetTranslations || {}; }
  };
});
