// Maison Lumière demo shop: language switch (?lang=en | ?lang=zh-CN), prices, and the Vitrine embed.
// No framework, no inline script (the page runs under a strict CSP).

// 1. The standard Vitrine command-queue stub: commands issued before the widget loads are queued.
window.Vitrine = window.Vitrine || function () { (window.Vitrine.q = window.Vitrine.q || []).push(arguments); };

(function () {
  'use strict';

  var TEXT = {
    'zh-CN': {
      'title': '光之屋珠宝 Maison Lumière — 轻奢珠宝',
      'description': '光之屋珠宝：S925 银、珍珠、和田玉与玫瑰金饰品。'
    },
    en: {
      'title': 'Maison Lumière — Fine everyday jewellery',
      'description': 'Maison Lumière: S925 silver, pearls, Hetian jade and rose-gold jewellery.',
      'skip': 'Skip to main content',
      'nav.label': 'Main',
      'nav.new': 'This season',
      'nav.services': 'Services',
      'nav.visit': 'Visit us',
      'hero.kicker': 'New · Pearl studs arrived on Monday',
      'hero.title': 'A little light for every day',
      'hero.lead': 'S925 silver, natural pearls, Hetian jade and rose gold — hand-picked in Shanghai, made to be worn every day and given to the people who matter.',
      'hero.cta': 'Browse the collection',
      'hero.chat': 'Chat with us',
      'products.title': "This season's pieces",
      'products.lead': 'Every piece comes with a certificate and a gift box. Free engraving.',
      'badge.new': 'New',
      'ask': 'Ask about this',
      'p.etoile-necklace.name': 'Étoile star necklace',
      'p.etoile-necklace.desc': '18K gold-plated S925 silver, 40 + 5 cm adjustable chain.',
      'p.etoile-necklace.alt': 'Gold necklace with a star pendant',
      'p.perle-studs.name': 'Perle pearl studs',
      'p.perle-studs.desc': '8.5–9 mm freshwater pearls on gold-plated S925 silver, 8 mm pin.',
      'p.perle-studs.alt': 'A pair of white pearl stud earrings',
      'p.jade-bangle.name': 'Hetian jade bangle',
      'p.jade-bangle.desc': 'Pale-green Hetian jade, round profile, inner diameter 56–60 mm, certified.',
      'p.jade-bangle.alt': 'A green jade bangle',
      'p.aube-ring.name': 'Aube rose-gold ring',
      'p.aube-ring.desc': '18K rose gold with a 0.3 ct moissanite, engravable, HK sizes 8–16.',
      'p.aube-ring.alt': 'A rose-gold ring set with a white stone',
      'p.lune-bracelet.name': 'Lune moonstone bracelet',
      'p.lune-bracelet.desc': 'Natural moonstones on an S925 silver chain, 16 + 3 cm.',
      'p.lune-bracelet.alt': 'A silver bracelet set with moonstones',
      'p.soleil-hoops.name': 'Soleil gold hoops',
      'p.soleil-hoops.desc': '14K gold-filled, 25 mm across, light enough to wear all day.',
      'p.soleil-hoops.alt': 'A pair of gold hoop earrings',
      'services.title': 'Our services',
      'services.engraving.title': 'Free engraving',
      'services.engraving.text': 'Up to 12 characters on rings and pendants; we agree the text with you in chat.',
      'services.returns.title': '30-day returns',
      'services.returns.text': 'Unworn pieces in their original box can be returned or exchanged (engraved pieces excepted).',
      'services.shipping.title': 'Free SF Express delivery',
      'services.shipping.text': 'Free delivery across mainland China; orders before 4 p.m. ship the same day.',
      'footer.address': '88 Wukang Road, Xuhui, Shanghai · daily 10:00–21:00',
      'footer.console': 'Merchant console',
      'footer.note': 'Demo shop: products and prices are for show only.'
    }
  };

  function chosenLocale() {
    var lang = new URLSearchParams(window.location.search).get('lang');
    if (lang && /^en/i.test(lang)) return 'en';
    return 'zh-CN';
  }

  var locale = chosenLocale();
  var dict = TEXT[locale];
  var priceFormat = new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol', maximumFractionDigits: 0 });

  function applyLocale() {
    document.documentElement.lang = locale;
    if (dict.title) document.title = dict.title;
    var meta = document.querySelector('meta[name="description"]');
    if (meta && dict.description) meta.setAttribute('content', dict.description);

    // The page ships in zh-CN; only other locales need replacing (textContent only: never HTML).
    if (locale !== 'zh-CN') {
      document.querySelectorAll('[data-i18n]').forEach(function (el) {
        var text = dict[el.getAttribute('data-i18n')];
        if (text) el.textContent = text;
      });
      document.querySelectorAll('[data-i18n-alt]').forEach(function (el) {
        var text = dict[el.getAttribute('data-i18n-alt')];
        if (text) el.setAttribute('alt', text);
      });
      document.querySelectorAll('[data-i18n-aria-label]').forEach(function (el) {
        var text = dict[el.getAttribute('data-i18n-aria-label')];
        if (text) el.setAttribute('aria-label', text);
      });
    }

    document.querySelectorAll('[data-price]').forEach(function (el) {
      el.textContent = priceFormat.format(Number(el.getAttribute('data-price')));
    });

    // The language links keep every other query parameter and the fragment.
    document.querySelectorAll('.lang-switch [data-lang]').forEach(function (link) {
      var lang = link.getAttribute('data-lang');
      var url = new URL(window.location.href);
      url.searchParams.set('lang', lang);
      link.setAttribute('href', url.pathname + url.search + url.hash);
      if (lang === locale) link.setAttribute('aria-current', 'true');
      else link.removeAttribute('aria-current');
    });
  }

  function wireChat() {
    // [data-vitrine-ask="<product id>"] buttons need nothing here: the widget handles them
    // (opens the chat with that product attached to the customer's next message).
    document.addEventListener('click', function (event) {
      var target = event.target instanceof Element ? event.target : null;
      if (target && target.closest('[data-vitrine-open]')) window.Vitrine('open', { focus: true });
    });
  }

  var CART_TEXT = { 'zh-CN': '已加入购物车：', en: 'Added to cart: ' };
  var toast = null;
  var toastTimer = 0;

  /** A product text (title, option label) in the page language (product text is untrusted: it only ever goes into textContent). */
  function localizedText(text) {
    if (!text || typeof text !== 'object') return String(text || '');
    if (text[locale]) return text[locale];
    var lang = locale.split('-')[0];
    for (var tag in text) if (tag.split('-')[0] === lang) return text[tag];
    return text.en || text[Object.keys(text)[0]] || '';
  }

  /**
   * The variant's option values in the page language ("金色" / "Gold", not the key "gold"), from the
   * product's option labels where it gives them, else the keys themselves.
   */
  function variantText(variant, options) {
    if (!variant || !variant.options || typeof variant.options !== 'object') return '';
    var list = Array.isArray(options) ? options : [];
    return Object.keys(variant.options)
      .map(function (name) {
        var value = variant.options[name];
        if (typeof value !== 'string' || value === '') return '';
        var option = list.find(function (o) { return o && o.name === name; });
        var labels = option && option.values && Object.prototype.hasOwnProperty.call(option.values, value) ? option.values[value] : null;
        return (labels && localizedText(labels)) || value;
      })
      .filter(Boolean)
      .join(' / ');
  }

  function showToast(text) {
    if (!toast) {
      toast = document.createElement('div');
      toast.className = 'cart-toast';
      toast.setAttribute('role', 'status');
      toast.setAttribute('aria-live', 'polite');
      document.body.appendChild(toast);
    }
    toast.textContent = text;
    toast.classList.add('cart-toast--visible');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () {
      toast.classList.remove('cart-toast--visible');
    }, 3500);
  }

  // The shop's own cart: the card's "Buy" fires a cancellable vitrine-product-click on the page.
  // We take over (preventDefault) and pretend to add it to the cart. "View" is left to the widget,
  // which opens the product URL.
  function wireCart() {
    document.addEventListener('vitrine-product-click', function (event) {
      var detail = event.detail || {};
      if (detail.action !== 'buy' || !detail.product) return;
      event.preventDefault();
      var name = localizedText(detail.product.title);
      var variant = variantText(detail.variant, detail.product.options);
      showToast((CART_TEXT[locale] || CART_TEXT.en) + name + (variant ? ' (' + variant + ')' : ''));
    });
  }

  function start() {
    applyLocale();
    wireChat();
    wireCart();
  }

  // Loaded at the end of <body>, before the Vitrine tag: the page is parsed, and <html lang> is set
  // before the widget reads it (the widget follows the page language when data-locale is absent).
  start();
})();
