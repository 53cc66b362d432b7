/**
 * Suppliers work area: search by supplier name or number, the results table (fetched from
 * `suppliers` 25 rows at a time) and the "Create Supplier" drawer (pages/suppliers-create.js).
 */
define(['knockout', 'common/rest', 'common/rest-data-provider', 'common/messages',
  'common/format', 'pages/supplier-options', 'pages/suppliers-create', 'ojs/ojknockout',
  'oj-c/button', 'oj-c/input-text', 'oj-c/select-single', 'oj-c/form-layout', 'oj-c/table',
  'oj-c/drawer-popup'],
function (ko, rest, RestDataProvider, messages, format, options, CreateSupplierDrawer) {
  'use strict';

  /** Name or number contains the text, case-insensitive (the server's LIKE is). */
  function nameOrNumber(text) {
    var t = (text || '').trim();
    if (!t) {
      return '';
    }
    var pattern = rest.quote('%' + t + '%');
    return '(Supplier LIKE ' + pattern + ' or SupplierNumber LIKE ' + pattern + ')';
  }

  function create() {
    var vm = {};
    // What the table shows: the text as of the last Search, not as currently typed.
    var applied = ko.observable('');

    vm.searchText = ko.observable('');
    vm.options = {
      taxOrganizationTypes: options.taxOrganizationTypes(),
      supplierTypes: options.supplierTypes(),
      businessRelationships: options.businessRelationships(),
      taxCountries: options.taxCountries()
    };

    vm.suppliers = new RestDataProvider({
      path: 'suppliers',
      keyAttribute: 'SupplierId',
      query: function () { return applied(); },
      orderBy: 'Supplier:asc',
      params: {
        onlyData: true,
        fields: 'SupplierId,Supplier,SupplierNumber,TaxpayerId,SupplierType,Status,InactiveDate'
      },
      onError: messages.showError,
      mapItem: function (item) {
        return Object.assign({}, item, {
          StatusText: options.statusText(item.Status),
          InactiveDateText: format.date(item.InactiveDate)
        });
      }
    });

    vm.columns = {
      supplier: { field: 'Supplier', headerText: 'Supplier', template: 'supplierCell', weight: 4 },
      number: { field: 'SupplierNumber', headerText: 'Supplier Number', weight: 2 },
      taxpayer: { field: 'TaxpayerId', headerText: 'Taxpayer ID', weight: 2 },
      type: { field: 'SupplierType', headerText: 'Supplier Type', weight: 2 },
      status: { field: 'StatusText', headerText: 'Status', weight: 1 },
      inactive: { field: 'InactiveDateText', headerText: 'Inactive Date', weight: 2 }
    };

    vm.runSearch = function () {
      applied(nameOrNumber(vm.searchText()));
      vm.suppliers.refresh();
    };

    vm.create = new CreateSupplierDrawer();

    // Enter in the search field searches, as in Fusion's search panels. JET commits the typed
    // value on Enter before this handler runs.
    document.getElementById('sbx-supplier-search').addEventListener('keyup', function (event) {
      if (event.key === 'Enter') {
        vm.runSearch();
      }
    });
    return vm;
  }

  return { create: create };
});
