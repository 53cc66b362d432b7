/**
 * The fixed choice lists of the supplier pages (Fusion's lookups), and how supplier values read.
 *
 * The values are the ones the sandbox's REST API accepts (sandbox/rules/suppliers.py and the
 * country list in sandbox/services/supplier_children.py); a bot types the option text.
 */
define(['ojs/ojarraydataprovider'], function (ArrayDataProvider) {
  'use strict';

  var TAX_ORGANIZATION_TYPES = ['Corporation', 'Foreign Corporation', 'Partnership',
    'Foreign Partnership', 'Individual', 'Foreign Individual', 'Government Agency'];
  var SUPPLIER_TYPES = ['Supplier', 'Services', 'Contractor', 'Manufacturer'];
  var BUSINESS_RELATIONSHIPS = ['Spend Authorized', 'Prospective'];
  var COUNTRIES = [
    { code: 'GB', name: 'United Kingdom' }, { code: 'IE', name: 'Ireland' },
    { code: 'FR', name: 'France' }, { code: 'DE', name: 'Germany' },
    { code: 'NL', name: 'Netherlands' }, { code: 'BE', name: 'Belgium' },
    { code: 'ES', name: 'Spain' }, { code: 'US', name: 'United States' }
  ];

  /** Options for oj-c-select-single: `value` is the key, `label` the text shown and typed. */
  function choices(pairs) {
    return new ArrayDataProvider(pairs, { keyAttributes: 'value' });
  }

  function sameText(values) {
    return choices(values.map(function (v) { return { value: v, label: v }; }));
  }

  /** Labels of the set flags, in the given order: "Ordering, Remit to". */
  function purposesText(row, flags) {
    return flags.filter(function (f) { return row[f.attribute]; })
      .map(function (f) { return f.label; }).join(', ');
  }

  /** The checkbox set's value (keys of the checked boxes) from a row's flags. */
  function checkedKeys(row, flags) {
    return flags.filter(function (f) { return row && row[f.attribute]; })
      .map(function (f) { return f.attribute; });
  }

  /** Every flag as true/false from the checkbox set's value (null when none is checked). */
  function flagsFrom(checked, flags) {
    var on = checked || [];
    var body = {};
    flags.forEach(function (f) { body[f.attribute] = on.indexOf(f.attribute) >= 0; });
    return body;
  }

  function checkboxOptions(flags) {
    return flags.map(function (f) { return { value: f.attribute, label: f.label }; });
  }

  return {
    taxOrganizationTypes: function () { return sameText(TAX_ORGANIZATION_TYPES); },
    supplierTypes: function () { return sameText(SUPPLIER_TYPES); },
    businessRelationships: function () { return sameText(BUSINESS_RELATIONSHIPS); },
    /** Tax Country: the server stores the country's name. */
    taxCountries: function () {
      return sameText(COUNTRIES.map(function (c) { return c.name; }));
    },
    /** Address Country: keyed by ISO code, shown by name. */
    addressCountries: function () {
      return choices(COUNTRIES.map(function (c) { return { value: c.code, label: c.name }; }));
    },
    DEFAULT_TAX_ORGANIZATION_TYPE: 'Corporation',
    DEFAULT_BUSINESS_RELATIONSHIP: 'Spend Authorized',
    DEFAULT_COUNTRY_NAME: 'United Kingdom',
    DEFAULT_COUNTRY_CODE: 'GB',
    ADDRESS_PURPOSES: [
      { attribute: 'AddressPurposeOrderingFlag', label: 'Ordering' },
      { attribute: 'AddressPurposeRemitToFlag', label: 'Remit to' },
      { attribute: 'AddressPurposeRFQOrBiddingFlag', label: 'RFQ or Bidding' }
    ],
    SITE_PURPOSES: [
      { attribute: 'SitePurposePurchasingFlag', label: 'Purchasing' },
      { attribute: 'SitePurposePayFlag', label: 'Pay' },
      { attribute: 'SitePurposePrimaryPayFlag', label: 'Primary Pay' },
      { attribute: 'SitePurposeSourcingOnlyFlag', label: 'Sourcing only' },
      { attribute: 'SitePurposeProcurementCardFlag', label: 'Procurement card' }
    ],
    purposesText: purposesText,
    checkedKeys: checkedKeys,
    flagsFrom: flagsFrom,
    checkboxOptions: checkboxOptions,
    /** ACTIVE / INACTIVE as Fusion's pages show them. */
    statusText: function (status) {
      return status === 'INACTIVE' ? 'Inactive' : 'Active';
    },
    /** '' and whitespace become null, so an emptied field clears the attribute. */
    textOrNull: function (value) {
      var text = value === null || value === undefined ? '' : String(value).trim();
      return text === '' ? null : text;
    }
  };
});
