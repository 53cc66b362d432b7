/**
 * Lists of values (LOVs) for oj-c-select-single, searched on the server as the user types.
 *
 * Each source names its REST resource, the key (the select's value), the attribute shown as
 * the option text (what a user or bot types and reads) and the attributes the typed text is
 * matched against (`q=<Attr> LIKE '%text%'`, case-insensitive on the server).
 *
 *   var suppliers = lov.create('suppliers');                        // a DataProvider
 *   <oj-c-select-single data="[[suppliers]]" item-text="Supplier" ...>
 *
 * A list whose options read differently from its text attribute (Fusion's multi-column rows,
 * "Anglia Care Partnership Limited 30007") takes an option template naming attributes:
 *
 *   lov.create('suppliers', { optionText: '{Supplier} {SupplierNumber}' })
 *   <oj-c-select-single data="[[suppliers]]" item-text="OptionText" ...>
 *
 * Each row then carries OptionText, and typing a whole option text also finds its row.
 *
 * Dependent LOVs (Supplier Site after Supplier and Procurement BU) use lov.dependent(): a
 * knockout computed that hands the select a new DataProvider whenever the parent values change,
 * so the select forgets the options it fetched for the old parents. While a parent is empty
 * the list is empty and no request is made.
 */
define(['knockout', 'common/rest', 'common/rest-data-provider', 'common/messages', 'common/ui'],
  function (ko, rest, RestDataProvider, messages, ui) {
    'use strict';

    var SOURCES = {
      documentStyles: { path: 'documentStylesLOV', key: 'DocumentStyleId', text: 'DocumentStyle' },
      procurementBUs: {
        path: 'procurementBusinessUnitsLOV', key: 'BusinessUnitId', text: 'BusinessUnitName'
      },
      requisitioningBUs: {
        path: 'requisitioningBusinessUnitsLOV', key: 'BusinessUnitId', text: 'BusinessUnitName'
      },
      suppliers: {
        path: 'suppliersLOV', key: 'SupplierId', text: 'Supplier',
        search: ['Supplier', 'SupplierNumber']
      },
      supplierSites: { path: 'supplierSitesLOV', key: 'SupplierSiteId', text: 'SupplierSite' },
      supplierContacts: {
        path: 'supplierContactsLOV', key: 'SupplierContactId', text: 'SupplierContact'
      },
      currencies: {
        path: 'currenciesLOV', key: 'CurrencyCode', text: 'CurrencyCode',
        search: ['CurrencyCode', 'Name']
      },
      locations: {
        path: 'locationsLOV', key: 'LocationId', text: 'LocationCode',
        search: ['LocationCode', 'LocationName']
      },
      persons: { path: 'procurementPersonsLOV', key: 'PersonId', text: 'DisplayName' },
      items: {
        path: 'itemsV2', key: 'ItemId', text: 'ItemNumber',
        search: ['ItemNumber', 'ItemDescription']
      },
      categories: { path: 'purchasingCategoriesLOV', key: 'CategoryId', text: 'CategoryName' },
      uoms: {
        path: 'unitsOfMeasureLOV', key: 'UOMCode', text: 'UnitOfMeasure',
        search: ['UnitOfMeasure', 'UOMCode']
      }
    };

    function source(name) {
      var found = SOURCES[name];
      if (!found) {
        throw new Error('Unknown list of values: ' + name);
      }
      return found;
    }

    var TEMPLATE_PART = /(\{[A-Za-z0-9_]+\})/;
    var REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

    /**
     * The `q` clause that finds the row whose whole option text is the typed text, for an
     * option template of two or more attributes ('' when the text can't be such an option).
     * Each attribute takes as much as it can, so "Acme Widgets Ltd 3012" against
     * "{Supplier} {SupplierNumber}" is Supplier "Acme Widgets Ltd", SupplierNumber "3012".
     */
    function wholeOptionClause(template) {
      var names = [];
      var pattern = template.split(TEMPLATE_PART).map(function (part) {
        var attribute = /^\{([A-Za-z0-9_]+)\}$/.exec(part);
        if (attribute) {
          names.push(attribute[1]);
          return '(.+)';
        }
        return part.replace(REGEX_SPECIAL, '\\$&');
      }).join('');
      var matcher = new RegExp('^' + pattern + '$');
      return function (text) {
        var found = names.length > 1 ? matcher.exec(text) : null;
        if (!found) {
          return '';
        }
        return '(' + names.map(function (attr, i) {
          return attr + ' LIKE ' + rest.quote(found[i + 1].trim());
        }).join(' and ') + ')';
      };
    }

    /**
     * A DataProvider for one LOV. `query` (optional) returns fixed `q` criteria at each fetch;
     * `isBlocked` (optional) returns true while the list must stay empty; `optionText`
     * (optional) is the option template (see above).
     */
    function create(name, extra) {
      var src = source(name);
      var more = extra || {};
      var template = more.optionText;
      return new RestDataProvider({
        path: src.path,
        keyAttribute: src.key,
        textAttributes: src.search || [src.text],
        textClause: template ? wholeOptionClause(template) : undefined,
        mapItem: template ? function (item) {
          return Object.assign({}, item, { OptionText: ui.fill(template, item) });
        } : undefined,
        query: more.query,
        isBlocked: more.isBlocked,
        orderBy: src.text + ':asc',
        params: { onlyData: true },
        // A LOV that cannot load says so in the error dialog, like any other failed call.
        onError: messages.showError
      });
    }

    /**
     * A LOV that depends on other values: `criteria` returns an object of Attr → value read from
     * observables (e.g. {SupplierId: vm.supplierId()}); any empty value means "no options yet".
     */
    function dependent(name, criteria, extra) {
      return ko.pureComputed(function () {
        var values = criteria();
        var names = Object.keys(values);
        var missing = names.some(function (attr) {
          return values[attr] === null || values[attr] === undefined || values[attr] === '';
        });
        var clauses = names.map(function (attr) {
          var v = values[attr];
          return attr + '=' + (typeof v === 'number' ? String(v) : rest.quote(v));
        });
        var fixed = extra && extra.query ? extra.query() : '';
        return create(name, {
          query: function () { return rest.and(clauses.concat([fixed])); },
          isBlocked: function () { return missing; }
        });
      });
    }

    /** Find one row by its text (exact, case-insensitive on the server): used for defaults. */
    function findByText(name, text) {
      var src = source(name);
      return rest.get(src.path, {
        q: src.text + ' LIKE ' + rest.quote(text), onlyData: true, limit: 1
      }).then(function (body) {
        return body && body.items && body.items.length ? body.items[0] : null;
      });
    }

    return { create: create, dependent: dependent, findByText: findByText };
  });
