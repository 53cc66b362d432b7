/**
 * A JET DataProvider over one Fusion REST collection, fetched block by block from the server
 * (offset/limit), as Fusion's own tables and lists of values do.
 *
 * Used by every oj-c-table (25 rows per fetch, more as the user scrolls) and, through lov.js, by
 * every oj-c-select-single list of values: the text the user types arrives as a TextFilter and
 * becomes `q=<Attr> LIKE '%text%'`, so the server does the searching.
 *
 *   new RestDataProvider({
 *     path: 'purchaseOrders',             // relative to the REST base
 *     keyAttribute: 'POHeaderId',
 *     textAttributes: ['Supplier'],        // searched by typed text (LOVs)
 *     textClause: function (text) { ... }, // optional: one more `q` clause the text may match
 *     query: function () { return "Status='Open'"; },  // fixed criteria, read at each fetch
 *     orderBy: 'CreationDate:desc',
 *     params: { onlyData: true },          // any other query parameters
 *     mapItem: function (item) { ... },    // optional: add display values to each row
 *     onError: function (restError) {}     // e.g. show the error dialog
 *   });
 *
 * Every request goes through rest.js, so it is a BusyContext busy state like any other call.
 */
define(['common/rest', 'ojs/ojcontext', 'ojs/ojeventtarget', 'ojs/ojdataprovider'],
  function (rest, Context, ojeventtarget, ojdataprovider) {
    'use strict';

    var DEFAULT_BLOCK_SIZE = 25;
    // Upper bound for "a search was typed but has not started": see watchSearch().
    var SEARCH_START_LIMIT_MS = 1500;

    function RestDataProvider(options) {
      this.options = options;
      this.blockSize = options.blockSize || DEFAULT_BLOCK_SIZE;
      // Items seen so far, by key: lets fetchByKeys answer without a request when it can.
      this.seen = new Map();
    }
    ojeventtarget.EventTargetMixin.applyMixin(RestDataProvider);

    /** Literal for a key in `q`: numbers bare, texts quoted. */
    function literal(value) {
      return typeof value === 'number' ? String(value) : rest.quote(value);
    }

    /** The `q` expression for a fetch: fixed criteria and the typed text. */
    RestDataProvider.prototype.buildQuery = function (filterCriterion) {
      var fixed = this.options.query ? this.options.query() : '';
      var clauses = [fixed ? '(' + fixed + ')' : ''];
      var text = filterCriterion && filterCriterion.text ? String(filterCriterion.text).trim() : '';
      var attributes = this.options.textAttributes || [];
      if (text && attributes.length) {
        var pattern = rest.quote('%' + text + '%');
        var alternatives = attributes.map(function (attr) {
          return attr + ' LIKE ' + pattern;
        });
        var extra = this.options.textClause ? this.options.textClause(text) : '';
        if (extra) {
          alternatives.push(extra);
        }
        clauses.push('(' + alternatives.join(' or ') + ')');
      }
      return rest.and(clauses);
    };

    /** One block: resolves to {items, hasMore}. While isBlocked() (no parent yet): nothing. */
    RestDataProvider.prototype.fetchBlock = function (params, offset, size) {
      var self = this;
      if (this.options.isBlocked && this.options.isBlocked()) {
        searchStarted(); // nothing to ask the server: the (empty) answer is already here
        return Promise.resolve({ items: [], hasMore: false });
      }
      var query = Object.assign({}, this.options.params, {
        q: this.buildQuery(params && params.filterCriterion),
        orderBy: this.options.orderBy,
        offset: offset,
        limit: size
      });
      var mapItem = this.options.mapItem || function (item) { return item; };
      var request = rest.get(this.options.path, query, params && params.signal);
      searchStarted(); // the request's own busy state now covers the search
      return request.then(function (body) {
        var items = ((body && body.items) || []).map(mapItem);
        items.forEach(function (item) {
          self.seen.set(item[self.options.keyAttribute], item);
        });
        return { items: items, hasMore: Boolean(body && body.hasMore) };
      }, function (err) {
        if (err && err.name !== 'AbortError' && self.options.onError) {
          self.options.onError(err);
        }
        throw err;
      });
    };

    RestDataProvider.prototype.toResult = function (params, items) {
      var key = this.options.keyAttribute;
      return {
        fetchParameters: params,
        data: items,
        metadata: items.map(function (item) { return { key: item[key] }; })
      };
    };

    RestDataProvider.prototype.fetchFirst = function (params) {
      var self = this;
      var size = params && params.size > 0 ? params.size : this.blockSize;
      var offset = 0;
      var more = true;
      var iterator = {
        next: function () {
          if (!more) {
            return Promise.resolve({ done: true, value: self.toResult(params, []) });
          }
          return self.fetchBlock(params, offset, size).then(function (block) {
            offset += block.items.length;
            more = block.hasMore && block.items.length > 0;
            return { done: false, value: self.toResult(params, block.items) };
          });
        }
      };
      var iterable = {};
      iterable[Symbol.asyncIterator] = function () { return iterator; };
      return iterable;
    };

    RestDataProvider.prototype.fetchByOffset = function (params) {
      var self = this;
      var size = params && params.size > 0 ? params.size : this.blockSize;
      return this.fetchBlock(params, params.offset || 0, size).then(function (block) {
        var key = self.options.keyAttribute;
        return {
          fetchParameters: params,
          done: !block.hasMore,
          results: block.items.map(function (item) {
            return { data: item, metadata: { key: item[key] } };
          })
        };
      });
    };

    /** Look keys up (a select-single whose value was set in code needs its item's text). */
    RestDataProvider.prototype.fetchByKeys = function (params) {
      var self = this;
      var key = this.options.keyAttribute;
      var results = new Map();
      var missing = [];
      params.keys.forEach(function (k) {
        if (self.seen.has(k)) {
          results.set(k, { data: self.seen.get(k), metadata: { key: k } });
        } else if (k !== null && k !== undefined) {
          missing.push(k);
        }
      });
      if (!missing.length) {
        return Promise.resolve({ fetchParameters: params, results: results });
      }
      var q = missing.map(function (k) { return key + '=' + literal(k); }).join(' or ');
      var query = Object.assign({}, this.options.params, { q: q, limit: missing.length });
      var mapItem = this.options.mapItem || function (item) { return item; };
      return rest.get(this.options.path, query).then(function (body) {
        ((body && body.items) || []).map(mapItem).forEach(function (item) {
          self.seen.set(item[key], item);
          results.set(item[key], { data: item, metadata: { key: item[key] } });
        });
        return { fetchParameters: params, results: results };
      }, function (err) {
        if (self.options.onError) {
          self.options.onError(err);
        }
        throw err;
      });
    };

    RestDataProvider.prototype.containsKeys = function (params) {
      return this.fetchByKeys(params).then(function (found) {
        var contained = new Set();
        found.results.forEach(function (value, k) { contained.add(k); });
        return { containsParameters: params, results: contained };
      });
    };

    RestDataProvider.prototype.getCapability = function (name) {
      switch (name) {
        case 'filter':
          return { textFilter: {} };
        // No 'sort' capability: table columns show display texts (e.g. "1,234.50"), which the
        // server cannot order by, so the tables offer no header sorting.
        case 'fetchByKeys':
          return { implementation: 'lookup' };
        case 'fetchByOffset':
          return { implementation: 'randomAccess' };
        case 'fetchFirst':
          // A server round trip: oj-c-select-single debounces typing before it asks (the gap
          // is covered by a busy state, see watchSearch()).
          return { iterationSpeed: 'delayed' };
        default:
          return null;
      }
    };

    RestDataProvider.prototype.getTotalSize = function () {
      return Promise.resolve(-1);
    };

    RestDataProvider.prototype.isEmpty = function () {
      return 'unknown';
    };

    /** Tell every component showing this data to fetch it again (criteria changed, data saved). */
    RestDataProvider.prototype.refresh = function () {
      this.seen.clear();
      this.dispatchEvent(new ojdataprovider.DataProviderRefreshEvent());
    };

    /*
     * Typing into a list of values (or opening its drop-down) starts the server search only
     * after oj-c-select-single has re-rendered and, for a list it has not searched before,
     * after its own adaptive debounce: for up to about half a second nothing is busy
     * although a search is about to run. A bot that types and then waits for
     * BusyContext.isReady() must not see "ready" in that gap, so typing into, or opening, a
     * select backed by this provider registers a busy state that ends when the request starts
     * (or, if no request follows, after SEARCH_START_LIMIT_MS).
     */
    var pendingSearches = new Map(); // select element -> settle()

    function searchStarted() {
      var settles = Array.from(pendingSearches.values());
      pendingSearches.clear();
      settles.forEach(function (settle) { settle(); });
    }

    function watchSearch(event) {
      var target = event.target;
      if (!target || !target.getAttribute || target.getAttribute('role') !== 'combobox') {
        return;
      }
      if (event.type !== 'input' && target.getAttribute('aria-expanded') === 'true') {
        return; // pressing on an open list closes it: no search follows
      }
      var select = target.closest('oj-c-select-single');
      if (!select || !(select.data instanceof RestDataProvider) || pendingSearches.has(select)) {
        return;
      }
      var done = Context.getPageContext().getBusyContext()
        .addBusyState({ description: 'Searching ' + (select.labelHint || 'a list of values') });
      var timer;
      var settle = function () {
        clearTimeout(timer);
        if (pendingSearches.get(select) === settle) {
          pendingSearches.delete(select);
        }
        done();
      };
      timer = setTimeout(settle, SEARCH_START_LIMIT_MS);
      pendingSearches.set(select, settle);
    }
    document.addEventListener('input', watchSearch, true);
    // The list opens on pointer down; capture runs before the select sees the event.
    document.addEventListener('pointerdown', watchSearch, true);

    return RestDataProvider;
  });
