/**
 * Drawers and dialogs opening, as a busy state.
 *
 * JET's Core Pack drawer and dialog animate open without a busy state of their own, and while
 * the animation runs the popup is still taking focus: text typed into one of its fields then
 * may be lost. So a page must not look ready (BusyContext idle) while a popup opens:
 * busyWhileOpening(opened, contentId) keeps the page busy from the moment the observable
 * `opened` turns true until the popup's content (the element with id `contentId`) is shown in
 * JET's popup layer, the popup has taken the focus (which it does once its opening animation
 * has started: content can be in the layer some frames before that) and no popup animation
 * has run for two frames. It polls that state once a frame (never
 * a fixed delay), and gives up after SETTLE_LIMIT_MS so that a popup that never appears can't
 * keep the page busy for ever.
 */
define(['ojs/ojcontext'], function (Context) {
  'use strict';

  var POPUP_LAYERS = '#__oj_zorder_container, #__root_layer_host';
  var SETTLE_LIMIT_MS = 3000;
  var QUIET_FRAMES = 2;

  /** True while an animation runs in JET's popup layers (a drawer or dialog opening). */
  function animating() {
    return document.getAnimations().some(function (animation) {
      var target = animation.effect && animation.effect.target;
      return animation.playState === 'running' && target instanceof Element &&
        target.closest(POPUP_LAYERS) !== null;
    });
  }

  /** Busy until the popup holding `contentId` is in the page and has stopped moving. */
  function whileOpening(contentId) {
    var done = Context.getPageContext().getBusyContext()
      .addBusyState({ description: 'Opening ' + contentId });
    var started = Date.now();
    var quiet = 0;
    (function check() {
      var content = document.getElementById(contentId);
      var popup = content !== null && content.closest(POPUP_LAYERS) !== null ?
        content.closest('[role="dialog"]') : null;
      // The popup takes the focus as its animation starts: until then, it has not begun.
      var focused = popup !== null && popup.contains(document.activeElement);
      var settled = focused && !animating();
      quiet = settled ? quiet + 1 : 0;
      if (quiet >= QUIET_FRAMES || Date.now() - started > SETTLE_LIMIT_MS) {
        done();
        return;
      }
      window.requestAnimationFrame(check);
    })();
  }

  /** Each time `opened` turns true, the page is busy until the popup has opened. */
  function busyWhileOpening(opened, contentId) {
    opened.subscribe(function (isOpen) {
      if (isOpen) {
        whileOpening(contentId);
      }
    });
  }

  return { animating: animating, whileOpening: whileOpening, busyWhileOpening: busyWhileOpening };
});
