/**
 * One purchase order, at the Redwood order page's URL as seen on an Oracle pod:
 * /fscmUI/redwood/purchase-orders/manage/edit?poHeaderId=<POHeaderId>&intent=Buyer
 * (the order is named in the query string, not the path).
 *
 * Laid out as Oracle documents Fusion's Redwood order page:
 *
 *  - the header region: Description and Buyer are edited here (Save PATCHes what changed; the
 *    order stays Incomplete), the other header values are shown read-only;
 *  - Submit: saves changed header values, runs the draft's checkFunds action and, when the
 *    funds check passes with a warning, asks in a "Warning" dialog (Yes submits, No leaves the
 *    order Incomplete); then the draft's submit action and Fusion's confirmation;
 *  - Delete (Incomplete orders only): asks in a "Delete Order" dialog; Yes deletes the draft
 *    and goes back to the Purchase Orders work area;
 *  - tabs Lines, Schedules, Distributions: Lines reads the lines child collection 25 rows at a
 *    time and adds lines (pages/purchase-order-line); Schedules and Distributions show the
 *    expanded order's schedules and distributions across all lines, each row with its own edit
 *    button ("Edit schedule 1-1", "Edit distribution 1-1-1") and drawer.
 *
 * After every change (and after a submit whose answer was lost) the order is read again, so
 * the status badge always shows what the server says. Texts are the UI variant's (common/ui).
 * The order is read from purchaseOrders/<id> with its lines, schedules and distributions
 * expanded by name (Fusion's expand=all stops at the first level).
 */
define(['knockout', 'ojs/ojcontext', 'ojs/ojmutablearraydataprovider', 'common/rest',
  'common/rest-data-provider', 'common/messages', 'common/format', 'common/ui', 'common/lov',
  'common/row-drawer', 'pages/purchase-order-line', 'ojs/ojknockout',
  'oj-c/button', 'oj-c/input-text', 'oj-c/input-number', 'oj-c/input-date-text',
  'oj-c/select-single', 'oj-c/form-layout', 'oj-c/table', 'oj-c/tab-bar', 'oj-c/badge',
  'oj-c/drawer-popup'],
function (ko, Context, MutableArrayDataProvider, rest, RestDataProvider, messages, format, ui,
  lov, RowDrawer, AddLineDrawer) {
  'use strict';

  // The badge's colour by status (Fusion's sixteen; anything else is neutral).
  var BADGE_VARIANTS = {
    Incomplete: 'neutral',
    'Pending Approval': 'warning',
    'Pending Change Approval': 'warning',
    'Pending Funds Reservation': 'warning',
    'Pending Signature Preparation': 'warning',
    'Pending Supplier Acknowledgment': 'warning',
    'Sent for Signature': 'warning',
    'On Hold': 'warning',
    Open: 'success',
    Closed: 'info',
    'Closed for Receiving': 'info',
    'Closed for Invoicing': 'info',
    'Finally Closed': 'info',
    Canceled: 'danger',
    Rejected: 'danger',
    Withdrawn: 'danger'
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
          POLineId: line.POLineId,
          LineNumber: line.LineNumber,
          NeedByDateText: format.date(schedule.NeedByDate),
          EditLabel: ui.text('po.schedule.edit_button', {
            line: line.LineNumber, schedule: schedule.ScheduleNumber
          })
        }));
        itemsOf(schedule.distributions).forEach(function (distribution) {
          distributions.push(Object.assign({}, distribution, {
            POLineId: line.POLineId,
            LineLocationId: schedule.LineLocationId,
            LineNumber: line.LineNumber,
            ScheduleNumber: schedule.ScheduleNumber,
            EditLabel: ui.text('po.distribution.edit_button', {
              line: line.LineNumber,
              schedule: schedule.ScheduleNumber,
              distribution: distribution.DistributionNumber
            })
          }));
        });
      });
    });
    return { schedules: schedules, distributions: distributions };
  }

  function orNull(value) {
    return value === undefined || value === '' ? null : value;
  }

  function create() {
    var id = headerIdFromUrl();
    var draftPath = 'draftPurchaseOrders/' + encodeURIComponent(id);
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

    // The header values edited here (Save).
    vm.description = ko.observable('');
    vm.buyerId = ko.observable(null);
    vm.buyers = lov.create('persons', { query: function () { return 'BuyerFlag=true'; } });

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
        ShipToLocationCode: text(o.ShipToLocationCode),
        Total: o.Total === undefined ? '' : format.amount(o.Total)
      };
    });

    vm.tabs = [
      { itemKey: 'lines', label: ui.text('po.order.lines_tab') },
      { itemKey: 'schedules', label: ui.text('po.order.schedules_tab') },
      { itemKey: 'distributions', label: ui.text('po.order.distributions_tab') }
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
      needBy: { field: 'NeedByDateText', headerText: 'Need-by Date' },
      shipTo: { field: 'ShipToLocationCode', headerText: 'Ship-to Location' },
      actions: { headerText: 'Actions', template: 'scheduleActions' }
    };
    vm.distributionColumns = {
      line: { field: 'LineNumber', headerText: 'Line' },
      schedule: { field: 'ScheduleNumber', headerText: 'Schedule' },
      distribution: { field: 'DistributionNumber', headerText: 'Distribution' },
      account: { field: 'POChargeAccount', headerText: 'PO Charge Account' },
      deliverTo: { field: 'DeliverToLocationCode', headerText: 'Deliver-to Location' },
      requester: { field: 'Requester', headerText: 'Requester' },
      actions: { headerText: 'Actions', template: 'distributionActions' }
    };

    /** Read the order again (after load and after every change). */
    vm.load = function () {
      return rest.get('purchaseOrders/' + encodeURIComponent(id), { expand: EXPAND, onlyData: true })
        .then(function (order) {
          var children = flatten(order);
          vm.order(order);
          vm.description(order.Description || '');
          vm.buyerId(orNull(order.BuyerId));
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

    /** The header values changed on the page, as a PATCH body ({} when nothing changed). */
    function headerChanges() {
      var order = vm.order();
      var changes = {};
      if (!order || !vm.editable()) {
        return changes;
      }
      if ((vm.description() || '') !== (order.Description || '')) {
        changes.Description = vm.description() || '';
      }
      if (orNull(vm.buyerId()) !== orNull(order.BuyerId)) {
        changes.BuyerId = orNull(vm.buyerId());
      }
      return changes;
    }

    function saveHeader() {
      var changes = headerChanges();
      return Object.keys(changes).length ? rest.patch(draftPath, changes) : Promise.resolve();
    }

    /** Run one action; a failure goes to the error dialog and leaves the page as it was. */
    function act(work) {
      return Promise.resolve().then(work).catch(messages.showError);
    }

    function yesOrNo(title, text) {
      return messages.ask({
        title: title, text: text, yes: ui.text('dialog.yes'), no: ui.text('dialog.no')
      });
    }

    vm.save = function () {
      return act(function () {
        return saveHeader().then(reloadAll).then(function () {
          messages.confirm('Purchase order ' + vm.number() + ' was saved.');
        });
      });
    };

    /** Ask about the funds check's warning, if it has one: true to go on and submit. */
    function fundsCheckPasses(number) {
      return rest.action(draftPath, 'checkFunds', {}).then(function (funds) {
        if (!funds || funds.result !== 'WARNING') {
          return true;
        }
        return yesOrNo(ui.text('po.order.funds_warning_dialog'), ui.text('po.order.funds_warning', {
          number: number,
          account: funds.POChargeAccount,
          amount: format.amount(funds.ExceededBy)
        }));
      });
    }

    function submitNow(number) {
      return rest.action(draftPath, 'submit', {}).then(reloadAll, function (err) {
        // The answer can be lost after the server has committed the submission (and the
        // browser may then re-send the request, which finds no draft any more): read the
        // order again and believe what the server says now.
        return reloadAll().then(function () {
          if (vm.status() === 'Incomplete') {
            throw err;
          }
        }, function () {
          throw err;
        });
      }).then(function () {
        messages.confirm(ui.text('po.order.submitted', { number: number }));
      });
    }

    vm.submit = function () {
      var number = vm.number();
      return act(function () {
        var changed = Object.keys(headerChanges()).length > 0;
        return saveHeader().then(function () {
          return fundsCheckPasses(number);
        }).then(function (go) {
          if (go) {
            return submitNow(number);
          }
          // No: the order stays Incomplete (with any header change saved above).
          return changed ? reloadAll() : null;
        });
      });
    };

    vm.deleteOrder = function () {
      var number = vm.number();
      return act(function () {
        var question = ui.text('po.order.delete_question', { number: number });
        return yesOrNo(ui.text('po.order.delete_dialog'), question).then(function (yes) {
          if (!yes) {
            return null;
          }
          return rest.del(draftPath).then(function () {
            // Stay busy until the work area replaces this page.
            Context.getPageContext().getBusyContext()
              .addBusyState({ description: 'Opening Purchase Orders' });
            window.location.assign(ui.path('purchaseOrders'));
          });
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

    function schedulePath(row) {
      return draftPath + '/child/lines/' + encodeURIComponent(row.POLineId) +
        '/child/schedules/' + encodeURIComponent(row.LineLocationId);
    }

    // A Schedules row's drawer: Need-by Date and Ship-to Location.
    vm.schedule = new RowDrawer({
      formId: 'sbx-edit-schedule',
      fields: { NeedByDate: null, ShipToLocationId: null },
      fromRow: function (row) {
        return { NeedByDate: orNull(row.NeedByDate), ShipToLocationId: orNull(row.ShipToLocationId) };
      },
      toBody: function (values) {
        return { NeedByDate: orNull(values.NeedByDate), ShipToLocationId: values.ShipToLocationId };
      },
      save: function (body, row) { return rest.patch(schedulePath(row), body); },
      onSaved: reloadAll
    });
    vm.schedule.lovs = { shipTo: lov.create('locations') };

    // A Distributions row's drawer: PO Charge Account, Deliver-to Location, Requester.
    vm.distribution = new RowDrawer({
      formId: 'sbx-edit-distribution',
      fields: { POChargeAccount: '', DeliverToLocationId: null, RequesterId: null },
      fromRow: function (row) {
        return {
          POChargeAccount: row.POChargeAccount || '',
          DeliverToLocationId: orNull(row.DeliverToLocationId),
          RequesterId: orNull(row.RequesterId)
        };
      },
      toBody: function (values) {
        return {
          POChargeAccount: (values.POChargeAccount || '').trim(),
          DeliverToLocationId: orNull(values.DeliverToLocationId),
          RequesterId: orNull(values.RequesterId)
        };
      },
      save: function (body, row) {
        return rest.patch(schedulePath(row) + '/child/distributions/' +
          encodeURIComponent(row.PODistributionId), body);
      },
      onSaved: reloadAll
    });
    vm.distribution.lovs = {
      deliverTo: lov.create('locations'),
      requesters: lov.create('persons')
    };

    return vm;
  }

  return { create: create };
});
