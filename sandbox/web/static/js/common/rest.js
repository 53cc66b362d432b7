/**
 * The pages' REST client for the Fusion-shaped API under /fscmRestApi/resources/11.13.18.05/.
 *
 * Every call is registered as a JET BusyContext busy state for as long as it runs, so a bot that
 * waits for BusyContext.isReady() also waits for the data. The session cookie goes with every
 * call (same origin). Failures become a RestError whose message is what the error dialog shows:
 *   - 401: the session is gone; the page navigates to the sign-in page, which returns here. The
 *     busy state is deliberately left open, so nobody sees "ready" on a page that is leaving.
 *   - 4xx: Oracle's message (e.g. a business rule): the `detail` of each entry of the JSON error
 *     payload's `o:errorDetails`, as REST framework version 4 answers (or a plain-text body).
 *   - 5xx: "The server returned an error (HTTP 503). Try again."
 *   - no answer at all (connection dropped): a message that says so.
 */
define(['ojs/ojcontext'], function (Context) {
  'use strict';

  var REST_BASE = '/fscmRestApi/resources/11.13.18.05/';
  // Fusion answers a request without this header as REST framework version 1 (query-by-example
  // q, children as arrays). The pages use row-match q and read children as collections: v4.
  var FRAMEWORK_VERSION = '4';
  var ACTION_MEDIA_TYPE = 'application/vnd.oracle.adf.action+json';

  /** An error a page shows in the error dialog; `status` is 0 when no answer came back. */
  function RestError(message, status) {
    this.name = 'RestError';
    this.message = message;
    this.status = status;
  }
  RestError.prototype = Object.create(Error.prototype);
  RestError.prototype.constructor = RestError;

  function serverErrorMessage(status) {
    return 'The server returned an error (HTTP ' + status + '). Try again.';
  }

  var NO_ANSWER_MESSAGE =
    'The server did not answer: the connection was lost. Check the result before trying again.';

  /** Build a query string; undefined, null and '' values are left out. */
  function queryString(params) {
    var parts = [];
    Object.keys(params || {}).forEach(function (name) {
      var value = params[name];
      if (value === undefined || value === null || value === '') {
        return;
      }
      parts.push(encodeURIComponent(name) + '=' + encodeURIComponent(String(value)));
    });
    return parts.length ? '?' + parts.join('&') : '';
  }

  /** Quote a text for a REST Framework v2 `q` expression: 'O''Brien' (quotes are doubled). */
  function quote(text) {
    return "'" + String(text).replace(/'/g, "''") + "'";
  }

  /** Join `q` clauses with `and`, skipping empty ones; '' when there are none. */
  function and(clauses) {
    return clauses.filter(function (c) { return c; }).join(' and ');
  }

  /** The message of an error answer: v4's JSON payload, or a plain-text body. */
  function errorText(payload) {
    if (typeof payload === 'string') {
      return payload.trim();
    }
    var details = (payload && payload['o:errorDetails']) || [];
    return details.map(function (d) { return d && d.detail; }).filter(Boolean).join(' ');
  }

  function signInAgain() {
    var here = window.location.pathname + window.location.search;
    window.location.assign('/signin?redirect=' + encodeURIComponent(here));
  }

  function readBody(response) {
    if (response.status === 204) {
      return Promise.resolve(null);
    }
    var type = response.headers.get('Content-Type') || '';
    return type.indexOf('json') >= 0 ? response.json() : response.text();
  }

  /**
   * Send one request. `path` is relative to the REST base ('purchaseOrders/1/child/lines'), or
   * absolute when it starts with '/' (the sandbox's own /sandbox/session).
   * Resolves with the parsed JSON body (or text, or null for 204).
   */
  function request(method, path, options) {
    var opts = options || {};
    var busy = Context.getPageContext().getBusyContext();
    var done = busy.addBusyState({ description: 'REST ' + method + ' ' + path });
    var headers = {
      Accept: 'application/json',
      'X-Requested-With': 'XMLHttpRequest',
      'REST-Framework-Version': FRAMEWORK_VERSION
    };
    var body;
    if (opts.body !== undefined) {
      headers['Content-Type'] = opts.mediaType || 'application/json';
      body = JSON.stringify(opts.body);
    }
    var url = (path.charAt(0) === '/' ? '' : REST_BASE) + path + queryString(opts.params);
    var init = {
      method: method, headers: headers, body: body, credentials: 'same-origin', signal: opts.signal
    };

    return fetch(url, init)
      .catch(function (err) {
        if (err && err.name === 'AbortError') {
          throw err; // the caller abandoned the request (a newer search replaced it)
        }
        throw new RestError(NO_ANSWER_MESSAGE, 0);
      })
      .then(function (response) {
        if (response.status === 401) {
          signInAgain();
          // Never settles, so neither the page code nor the busy state's release runs: the page
          // is being replaced and nothing more should happen on it.
          return new Promise(function () {});
        }
        return readBody(response).catch(function () {
          throw new RestError(NO_ANSWER_MESSAGE, 0);
        }).then(function (payload) {
          if (response.ok) {
            return payload;
          }
          if (response.status >= 500) {
            throw new RestError(serverErrorMessage(response.status), response.status);
          }
          var text = errorText(payload);
          throw new RestError(text || serverErrorMessage(response.status), response.status);
        });
      })
      .finally(done);
  }

  return {
    RestError: RestError,
    REST_BASE: REST_BASE,
    quote: quote,
    and: and,
    /** GET; `signal` (optional) is an AbortSignal from a DataProvider fetch. */
    get: function (path, params, signal) {
      return request('GET', path, { params: params, signal: signal });
    },
    post: function (path, body) {
      return request('POST', path, { body: body });
    },
    patch: function (path, body) {
      return request('PATCH', path, { body: body });
    },
    /** DELETE; resolves with null (204). */
    del: function (path) {
      return request('DELETE', path);
    },
    /** POST an ADF action: `<path>/action/<name>` with Oracle's action media type. */
    action: function (path, name, body) {
      return request('POST', path + '/action/' + name, {
        body: body || {},
        mediaType: ACTION_MEDIA_TYPE
      });
    }
  };
});
