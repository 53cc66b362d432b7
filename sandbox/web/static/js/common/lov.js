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
 * Dependent LOVs (Supplier Site after Supplier and Procurement BU) use lov.dependent(): a
 * knockout computed that hands the select a new DataProvider whenever the parent values change,
 * so the select forgets the options it fetched for the old parents. While a parent is empty
 * the list is empty and no request is made.
 */
define(['knockout', 'common/rest', 'common/rest-data-provider', 'common/messages'],
  function (ko, rest, RestDataProvider, messages) {
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

    /**
     * A DataProvider for one LOV. `query` (optional) returns fixed `q` criteria at each fetch;
     * `isBlocked` (optional) returns true while the list must stay empty.
     */
    function create(name, extra) {
      var src = source(name);
      var more = extra || {};
      return new RestDataProvider({
        path: src.path,
        keyAttribute: src.key,
        textAttributes: src.search || [src.text],
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
