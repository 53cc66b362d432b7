/**
 * Purchase Orders work area: search (Order, Supplier, Description, Status), the results table
 * (fetched from purchaseOrders 25 rows at a time) and the "New purchase order" drawer
 * (pages/purchase-orders-create.js).
 */
define(['knockout', 'ojs/ojarraydataprovider', 'common/rest', 'common/rest-data-provider',
  'common/messages', 'common/format', 'common/ui', 'pages/purchase-orders-create', 'ojs/ojknockout',
  'oj-c/button', 'oj-c/input-text', 'oj-c/select-single', 'oj-c/form-layout', 'oj-c/table',
  'oj-c/drawer-popup'],
function (ko, ArrayDataProvider, rest, RestDataProvider, messages, format, ui,
  CreateOrderDrawer) {
  'use strict';

  // Fusion's sixteen purchase-order statuses (sandbox/rules/orders.py), as its Status list.
  var STATUSES = ['Canceled', 'Closed', 'Closed for Receiving', 'Closed for Invoicing',
    'Finally Closed', 'Incomplete', 'On Hold', 'Open', 'Pending Approval',
    'Pending Change Approval', 'Pending Funds Reservation', 'Pending Signature Preparation',
    'Pending Supplier Acknowledgment', 'Rejected', 'Sent for Signature', 'Withdrawn'];

  /** Contains, case-insensitive (the server's LIKE is). */
  function contains(attribute, text) {
    var t = (text || '').trim();
    return t ? attribute + ' LIKE ' + rest.quote('%' + t + '%') : '';
  }

  function SearchCriteria() {
    this.order = ko.observable('');
    this.supplier = ko.observable('');
    this.description = ko.observable('');
    this.status = ko.observable(null);
  }

  SearchCriteria.prototype.toQuery = function () {
    return rest.and([
      contains('OrderNumber', this.order()),
      contains('Supplier', this.supplier()),
      contains('Description', this.description()),
      this.status() ? 'Status=' + rest.quote(this.status()) : ''
    ]);
  };

  function create() {
    var vm = {};
    var criteria = new SearchCriteria();
    // What the table shows: the criteria as of the last Search, not as currently typed.
    var applied = ko.observable('');

    vm.search = criteria;
    vm.statuses = new ArrayDataProvider(
      STATUSES.map(function (s) { return { value: s, label: s }; }), { keyAttributes: 'value' });

    vm.orders = new RestDataProvider({
      path: 'purchaseOrders',
      keyAttribute: 'POHeaderId',
      query: function () { return applied(); },
      orderBy: 'CreationDate:desc,POHeaderId:desc',
      params: { onlyData: true },
      onError: messages.showError,
      mapItem: function (item) {
        return Object.assign({}, item, {
          OrderHref: ui.path('purchaseOrder', item.POHeaderId),
          TotalText: format.amount(item.Total),
          CreationDateText: format.date(item.CreationDate)
        });
      }
    });

    // Columns size to their contents (the table scrolls sideways on narrow screens, as
    // Fusion's do), so order numbers, amounts and dates are never cut short; only the long
    // free texts are capped.
    vm.columns = {
      order: { field: 'OrderNumber', headerText: 'Order', template: 'orderCell' },
      description: { field: 'Description', headerText: 'Description', maxWidth: 260 },
      supplier: { field: 'Supplier', headerText: 'Supplier', maxWidth: 230 },
      site: { field: 'SupplierSite', headerText: 'Supplier Site' },
      bu: { field: 'ProcurementBU', headerText: 'Procurement BU' },
      status: { field: 'Status', headerText: 'Status' },
      total: { field: 'TotalText', headerText: 'Total', horizontalAlignment: 'end' },
      currency: { field: 'CurrencyCode', headerText: 'Currency' },
      created: { field: 'CreationDateText', headerText: 'Creation Date' }
    };

    vm.runSearch = function () {
      applied(criteria.toQuery());
      vm.orders.refresh();
    };
    vm.resetSearch = function () {
      criteria.order('');
      criteria.supplier('');
      criteria.description('');
      criteria.status(null);
      vm.runSearch();
    };

    vm.create = new CreateOrderDrawer();

    // Enter in a search field searches, as in Fusion's search panels. JET commits the typed
    // value on Enter before this handler runs.
    document.getElementById('sbx-po-search').addEventListener('keyup', function (event) {
      if (event.key === 'Enter' && event.target.getAttribute('role') !== 'combobox') {
        vm.runSearch();
      }
    });
    return vm;
  }

  return { create: create };
});
