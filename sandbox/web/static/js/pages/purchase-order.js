/**
 * One purchase order, at the Redwood order page's URL as seen on an Oracle pod:
 * /fscmUI/redwood/purchase-orders/manage/edit?poHeaderId=<POHeaderId>&intent=Buyer
 * (the order is named in the query string, not the path).
 *
 * The header comes from purchaseOrders/<id> with its lines, schedules and distributions expanded
 * by name (Fusion's expand=all stops at the first level); the Lines table reads the lines child
 * collection 25 rows at a time; Schedules and Distributions show the expanded order's
 * schedules and distributions across all lines. Save PATCHes the header Description; Submit
 * saves a changed Description, POSTs the draft's submit action and shows Fusion's confirmation;
 * Approve and Cancel Order POST the order's actions. After every change (and after a submit
 * whose answer was lost) the order is read again, so the status badge always shows what the
 * server says. The heading and the submit confirmation are worded as the UI variant words
 * them (common/ui: "Purchase Order 1004542" / "Purchase Order: NCC1004542").
 */
define(['knockout', 'ojs/ojmutablearraydataprovider', 'common/rest', 'common/rest-data-provider',
  'common/messages', 'common/format', 'common/ui', 'pages/purchase-order-line', 'ojs/ojknockout',
  'oj-c/button', 'oj-c/input-text', 'oj-c/input-number', 'oj-c/input-date-text',
  'oj-c/select-single', 'oj-c/form-layout', 'oj-c/table', 'oj-c/tab-bar', 'oj-c/badge',
  'oj-c/drawer-popup'],
function (ko, MutableArrayDataProvider, rest, RestDataProvider, messages, format, ui,
  AddLineDrawer) {
  'use strict';

  var BADGE_VARIANTS = {
    Incomplete: 'neutral',
    'Pending Approval': 'warning',
    Open: 'success',
    Canceled: 'danger'
  };

  // expand=all expands only the lines: the nested children are named (Child.NestedChild).
  var EXPAND = 'lines,lines.schedules,lines.schedules.distributions';

  /** POHeaderId from the URL's query (?poHeaderId=…&intent=Buyer), kept as text (15 digits). */
  function headerIdFromUrl() {
    return new URLSearchParams(window.location.search).get('poHeaderId') || '';
  }

  /** Expanded children arrive as a collection ({items: [...]}); be lenient about plain arrays. */
  function itemsOf(child) {
    if (!child) {
      return [];
    }
    return Array.isArray(child) ? child : child.items || [];
  }

  function lineRow(line) {
    return Object.assign({}, line, {
      QuantityText: format.quantity(line.Quantity),
      PriceText: format.amount(line.Price),
      AmountText: format.amount(line.Amount)
    });
  }

  /** Schedules and distributions of every line, each row carrying its line (and schedule). */
  function flatten(order) {
    var schedules = [];
    var distributions = [];
    itemsOf(order.lines).forEach(function (line) {
      itemsOf(line.schedules).forEach(function (schedule) {
        schedules.push(Object.assign({}, schedule, {
          LineNumber: line.LineNumber,
          QuantityText: format.quantity(schedule.Quantity),
          NeedByDateText: format.date(schedule.NeedByDate)
        }));
        itemsOf(schedule.distributions).forEach(function (distribution) {
          distributions.push(Object.assign({}, distribution, {
            LineNumber: line.LineNumber,
            ScheduleNumber: schedule.ScheduleNumber,
            QuantityText: format.quantity(distribution.Quantity)
          }));
        });
      });
    });
    return { schedules: schedules, distributions: distributions };
  }

  function create() {
    var id = headerIdFromUrl();
    var vm = {};
    vm.order = ko.observable(null);
    vm.loaded = ko.pureComputed(function () { return vm.order() !== null; });
    vm.status = ko.pureComputed(function () { return vm.order() ? vm.order().Status : ''; });
    vm.statusVariant = ko.pureComputed(function () {
      return BADGE_VARIANTS[vm.status()] || 'neutral';
    });
    vm.number = ko.pureComputed(function () { return vm.order() ? vm.order().OrderNumber : ''; });
    vm.heading = ko.pureComputed(function () {
      return vm.number() ? ui.text('po.order.heading', { number: vm.number() }) : 'Purchase Order';
    });
    vm.editable = ko.pureComputed(function () { return vm.status() === 'Incomplete'; });
    vm.cancelable = ko.pureComputed(function () {
      return vm.loaded() && vm.status() !== 'Canceled';
    });
    vm.description = ko.observable('');

    // The read-only header values, as texts ('' until the order has loaded).
    vm.header = ko.pureComputed(function () {
      var o = vm.order() || {};
      var text = function (v) { return v === null || v === undefined ? '' : String(v); };
      return {
        ProcurementBU: text(o.ProcurementBU),
        RequisitioningBU: text(o.RequisitioningBU),
        Supplier: text(o.Supplier),
        SupplierSite: text(o.SupplierSite),
        SupplierContact: text(o.SupplierContact),
        CurrencyCode: text(o.CurrencyCode),
        Buyer: text(o.Buyer),
        ShipToLocationCode: text(o.ShipToLocationCode),
        Total: o.Total === undefined ? '' : format.amount(o.Total)
      };
    });

    vm.tabs = [
      { itemKey: 'lines', label: 'Lines' },
      { itemKey: 'schedules', label: 'Schedules' },
      { itemKey: 'distributions', label: 'Distributions' }
    ];
    vm.tab = ko.observable('lines');

    vm.lines = new RestDataProvider({
      path: 'purchaseOrders/' + encodeURIComponent(id) + '/child/lines',
      keyAttribute: 'POLineId',
      orderBy: 'LineNumber:asc',
      params: { onlyData: true },
      onError: messages.showError,
      mapItem: lineRow
    });
    vm.schedules = new MutableArrayDataProvider([], { keyAttributes: 'LineLocationId' });
    vm.distributions = new MutableArrayDataProvider([], { keyAttributes: 'PODistributionId' });

    vm.lineColumns = {
      line: { field: 'LineNumber', headerText: 'Line', minWidth: 70 },
      type: { field: 'LineType', headerText: 'Type', minWidth: 100 },
      item: { field: 'Item', headerText: 'Item', minWidth: 170 },
      description: { field: 'Description', headerText: 'Description', weight: 4 },
      category: { field: 'Category', headerText: 'Category', weight: 2 },
      quantity: {
        field: 'QuantityText', headerText: 'Quantity', horizontalAlignment: 'end', minWidth: 110
      },
      uom: { field: 'UOM', headerText: 'UOM', minWidth: 90 },
      price: { field: 'PriceText', headerText: 'Price', horizontalAlignment: 'end', minWidth: 110 },
      amount: {
        field: 'AmountText', headerText: 'Amount', horizontalAlignment: 'end', minWidth: 120
      }
    };
    vm.scheduleColumns = {
      line: { field: 'LineNumber', headerText: 'Line' },
      schedule: { field: 'ScheduleNumber', headerText: 'Schedule' },
      quantity: { field: 'QuantityText', headerText: 'Quantity', horizontalAlignment: 'end' },
      needBy: { field: 'NeedByDateText', headerText: 'Need-by Date' },
      shipTo: { field: 'ShipToLocationCode', headerText: 'Ship-to Location' }
    };
    vm.distributionColumns = {
      line: { field: 'LineNumber', headerText: 'Line' },
      schedule: { field: 'ScheduleNumber', headerText: 'Schedule' },
      distribution: { field: 'DistributionNumber', headerText: 'Distribution' },
      quantity: { field: 'QuantityText', headerText: 'Quantity', horizontalAlignment: 'end' },
      account: { field: 'POChargeAccount', headerText: 'PO Charge Account' },
      deliverTo: { field: 'DeliverToLocationCode', headerText: 'Deliver-to Location' },
      requester: { field: 'Requester', headerText: 'Requester' }
    };

    /** Read the order again (after load and after every change). */
    vm.load = function () {
      return rest.get('purchaseOrders/' + encodeURIComponent(id), { expand: EXPAND, onlyData: true })
        .then(function (order) {
          var children = flatten(order);
          vm.order(order);
          vm.description(order.Description || '');
          vm.schedules.data = children.schedules;
          vm.distributions.data = children.distributions;
          document.title = 'Purchase Order ' + order.OrderNumber +
            ' - Oracle Fusion Cloud Applications';
        });
    };

    function reloadAll() {
      vm.lines.refresh();
      return vm.load();
    }

    function descriptionChanged() {
      return vm.editable() && (vm.description() || '') !== (vm.order().Description || '');
    }

    function saveDescription() {
      return rest.patch('draftPurchaseOrders/' + encodeURIComponent(id), {
        Description: vm.description() || ''
      });
    }

    /** Run one action; a failure goes to the error dialog and leaves the page as it was. */
    function act(work) {
      return Promise.resolve().then(work).catch(messages.showError);
    }

    vm.save = function () {
      return act(function () {
        return saveDescription().then(reloadAll).then(function () {
          messages.confirm('Purchase order ' + vm.number() + ' was saved.');
        });
      });
    };

    vm.submit = function () {
      var number = vm.number();
      return act(function () {
        var saved = descriptionChanged() ? saveDescription() : Promise.resolve();
        return saved.then(function () {
          return rest.action('draftPurchaseOrders/' + encodeURIComponent(id), 'submit', {})
            .then(reloadAll, function (err) {
              // The answer can be lost after the server has committed the submission (and
              // the browser may then re-send the request, which finds no draft any more):
              // read the order again and believe what the server says now.
              return reloadAll().then(function () {
                if (vm.status() === 'Incomplete') {
                  throw err;
                }
              }, function () {
                throw err;
              });
            });
        }).then(function () {
          messages.confirm(ui.text('po.order.submitted', { number: number }));
        });
      });
    };

    function orderAction(name, pastTense) {
      return function () {
        var number = vm.number();
        return act(function () {
          return rest.action('purchaseOrders/' + encodeURIComponent(id), name, {})
            .then(reloadAll)
            .then(function () {
              messages.confirm('Purchase order ' + number + ' was ' + pastTense + '.');
            });
        });
      };
    }
    vm.approve = orderAction('approve', 'approved');
    vm.cancelOrder = orderAction('cancel', 'canceled');

    vm.line = new AddLineDrawer({
      headerId: id,
      order: vm.order,
      onSaved: function () {
        vm.tab('lines');
        return reloadAll();
      }
    });

    return vm;
  }

  return { create: create };
});
