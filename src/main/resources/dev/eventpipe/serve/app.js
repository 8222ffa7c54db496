// eventpipe dashboard: plain JavaScript over the JSON API (/api/...) and Apache ECharts (served by
// this server). No build step. Untrusted text (event names, platforms, reasons) only ever goes into
// textContent, option values or chart data: never into HTML.
'use strict';

(function () {
  // Okabe-Ito: distinguishable for the common kinds of colour blindness; yellow last (low contrast on white).
  const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'];
  const NUMBER = new Intl.NumberFormat('en-US');
  const $ = (id) => document.getElementById(id);

  let config = null;          // /api/config
  let serverToday = null;     // the server's UTC day, from /api/freshness
  let knownEvents = [];       // [{name, count}] in the range
  let lastLoadSeen = null;    // what the charts were drawn after
  let liveTimer = null;
  let renders = 0;
  const latest = {};          // per chart: the number of its newest render, so a slow older answer never overwrites a newer one

  const state = {
    days: null, from: null, to: null, granularity: 'day', events: [], platform: '', steps: [], window: 86400, live: true,
  };

  const charts = {};
  const cards = ['counts', 'active', 'funnel', 'events', 'loads', 'dead'];

  // ---------- the API ----------

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v === null || v === undefined || v === '') continue;
      if (Array.isArray(v)) v.forEach((x) => q.append(k, x)); else q.append(k, v);
    }
    return q.toString();
  }

  class ApiError extends Error {
    constructor(message, status) { super(message); this.status = status; }
  }

  async function api(endpoint, params) {
    let response;
    try {
      response = await fetch('/api/' + endpoint + '?' + query(params || {}), { headers: { Accept: 'application/json' } });
    } catch (e) {
      throw new ApiError('The dashboard server does not answer: is "eventpipe serve" (or "eventpipe run") still running? '
        + 'The page tries again every ' + refreshSeconds() + ' s.', 0);
    }
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) {
      const why = body && body.error ? body.error : 'HTTP ' + response.status;
      throw new ApiError(why, response.status);
    }
    return body;
  }

  function refreshSeconds() { return config ? config.refresh_seconds : 10; }

  // ---------- the range and the URL ----------

  function addDays(day, n) {
    const d = new Date(day + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  function today() { return serverToday || new Date().toISOString().slice(0, 10); }

  function range() {
    if (state.from && state.to) return { from: state.from, to: state.to };
    const days = state.days || config.days;
    return { from: addDays(today(), -(days - 1)), to: today() };
  }

  function readUrl() {
    const p = new URLSearchParams(location.search);
    const days = parseInt(p.get('days'), 10);
    state.days = days > 0 ? days : null;
    state.from = p.get('from');
    state.to = p.get('to');
    if (!(state.from && state.to)) { state.from = null; state.to = null; }
    state.granularity = ['hour', 'day', 'week'].includes(p.get('granularity')) ? p.get('granularity') : 'day';
    state.events = p.getAll('event').slice(0, config.max_events);
    if (state.events.length === 0) state.events = config.report_events.slice(0, config.max_events);
    state.platform = p.get('platform') || '';
    state.steps = p.getAll('step').slice(0, config.max_steps);
    if (!p.has('step')) state.steps = config.report_events.slice(0, config.max_steps);
    const w = parseInt(p.get('window'), 10);
    state.window = w >= config.min_window_seconds && w <= config.max_window_seconds ? w : 86400;
    state.live = p.get('live') !== '0';
  }

  function writeUrl(push) {
    const params = {
      days: state.from ? null : state.days,
      from: state.from, to: state.to,
      granularity: state.granularity === 'day' ? null : state.granularity,
      event: state.events,
      platform: state.platform,
      step: state.steps,
      window: state.window === 86400 ? null : state.window,
      live: state.live ? null : '0',
    };
    const url = location.pathname + '?' + query(params);
    if (url !== location.pathname + location.search) {
      if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
    }
  }

  // ---------- controls ----------

  function setControls() {
    const r = range();
    $('from').value = r.from;
    $('to').value = r.to;
    $('granularity').value = state.granularity;
    $('window').value = String(state.window);
    if (!$('window').value) $('window').value = '86400';
    $('live').checked = state.live;
    document.querySelectorAll('.quick button').forEach((b) => {
      b.setAttribute('aria-pressed', String(!state.from && Number(b.dataset.days) === (state.days || config.days)));
    });
    fillPlatforms(null);
    fillEvents();
    fillSteps();
    summarize();
  }

  /** The filters' summary line: what the charts show, readable while the filters are folded (phones). */
  function summarize() {
    const r = range();
    const summary = $('filters-summary');
    const state_ = document.createElement('span');
    state_.className = 'state';
    state_.textContent = ' · ' + r.from + ' to ' + r.to + ' · per ' + state.granularity + ' · '
      + (state.platform || 'all platforms') + ' · ' + state.events.length + ' events · funnel of ' + state.steps.length + ' steps';
    summary.replaceChildren('Filters', state_);
  }

  function option(value, text) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    return o;
  }

  function fillPlatforms(names) {
    const select = $('platform');
    if (names) {
      const keep = state.platform;
      select.replaceChildren(option('', 'All platforms'));
      const all = names.map((n) => n.name);
      if (keep && !all.includes(keep)) all.push(keep);
      all.forEach((p) => select.appendChild(option(p, p)));
    }
    select.value = state.platform;
  }

  function fillEvents() {
    const list = $('event-list');
    const counts = new Map(knownEvents.map((e) => [e.name, e.count]));
    const names = knownEvents.map((e) => e.name);
    state.events.forEach((e) => { if (!counts.has(e)) names.push(e); });
    const filter = $('event-filter').value.trim().toLowerCase();
    list.replaceChildren();
    names.forEach((name, i) => {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = name;
      box.id = 'event-' + i;
      box.checked = state.events.includes(name);
      box.disabled = !box.checked && state.events.length >= config.max_events;
      const text = document.createElement('span');
      text.textContent = name;
      const count = document.createElement('span');
      count.className = 'count';
      count.textContent = NUMBER.format(counts.get(name) || 0);
      label.append(box, text, count);
      label.hidden = filter !== '' && !name.toLowerCase().includes(filter);
      list.appendChild(label);
    });
    $('events-count').textContent = '(' + state.events.length + ' of at most ' + config.max_events + ')';
  }

  function fillSteps() {
    const holder = $('steps');
    const names = [...new Set([...knownEvents.map((e) => e.name), ...state.steps])];
    const shown = Math.min(config.max_steps, Math.max(3, state.steps.length + 1));
    holder.replaceChildren();
    for (let i = 0; i < shown; i++) {
      const label = document.createElement('label');
      label.append('Step ' + (i + 1) + ' ');
      const select = document.createElement('select');
      select.id = 'step-' + (i + 1);
      select.appendChild(option('', i < 2 ? '(choose an event)' : '(none)'));
      names.forEach((n) => select.appendChild(option(n, n)));
      select.value = state.steps[i] || '';
      select.addEventListener('change', () => {
        const chosen = [];
        holder.querySelectorAll('select').forEach((s) => { if (s.value) chosen.push(s.value); });
        state.steps = chosen;
        fillSteps();
        changed(['funnel']);
      });
      label.appendChild(select);
      holder.appendChild(label);
    }
  }

  function bindControls() {
    // Typing a date changes it once per keystroke: wait until the person pauses.
    let typing = null;
    const later = () => { clearTimeout(typing); typing = setTimeout(customRange, 500); };
    $('from').addEventListener('change', later);
    $('to').addEventListener('change', later);
    document.querySelectorAll('.quick button').forEach((b) => b.addEventListener('click', () => {
      state.from = null;
      state.to = null;
      state.days = Number(b.dataset.days);
      setControls();
      changed(null, true);
    }));
    $('granularity').addEventListener('change', () => { state.granularity = $('granularity').value; changed(['counts']); });
    $('platform').addEventListener('change', () => { state.platform = $('platform').value; changed(null, true); });
    $('window').addEventListener('change', () => { state.window = Number($('window').value); changed(['funnel']); });
    $('event-filter').addEventListener('input', fillEvents);
    $('event-list').addEventListener('change', (e) => {
      if (e.target.type !== 'checkbox') return;
      const name = e.target.value;
      state.events = e.target.checked ? [...state.events, name] : state.events.filter((x) => x !== name);
      fillEvents();
      $(e.target.id) && $(e.target.id).focus();
      changed(['counts']);
    });
    $('live').addEventListener('change', () => { state.live = $('live').checked; writeUrl(true); schedule(); });
    $('controls').addEventListener('submit', (e) => e.preventDefault());
    window.addEventListener('popstate', () => { readUrl(); setControls(); renderAll(true); });
    cards.forEach((name) => {
      const card = $('card-' + name);
      card.querySelector('.png').addEventListener('click', () => downloadPng(name));
    });
  }

  function customRange() {
    const from = $('from').value;
    const to = $('to').value;
    if (!from || !to || (from === state.from && to === state.to)) return;
    state.from = from;
    state.to = to;
    state.days = null;
    document.querySelectorAll('.quick button').forEach((b) => b.setAttribute('aria-pressed', 'false'));
    changed(null, true);
  }

  /** After a person changed a control: the URL, then the charts it affects (null: all). */
  function changed(only, dimensions) {
    writeUrl(true);
    summarize();
    if (dimensions) {
      renderAll(true);
    } else {
      only.forEach((c) => render(c, true));
    }
  }

  // ---------- charts ----------

  function chartOf(name) {
    if (!charts[name]) {
      const el = $('card-' + name).querySelector('.chart');
      charts[name] = echarts.init(el, null, { renderer: 'canvas' });
    }
    return charts[name];
  }

  function setCard(name, kind, text) {
    const card = $('card-' + name);
    const message = card.querySelector('.message');
    const chart = card.querySelector('.chart');
    message.hidden = !text;
    message.textContent = text || '';
    message.classList.toggle('error', kind === 'error');
    chart.dataset.state = kind;
    if (charts[name]) charts[name].resize();
  }

  function setCsv(name, endpoint, params) {
    $('card-' + name).querySelector('.csv').href = '/api/' + endpoint + '?' + query({ ...params, format: 'csv' });
  }

  function downloadPng(name) {
    if (!charts[name]) return;
    const a = document.createElement('a');
    a.href = charts[name].getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
    a.download = 'eventpipe-' + name + '-' + range().from + '-' + range().to + '.png';
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function base(title) {
    return {
      color: PALETTE,
      animation: false,
      aria: { enabled: true, label: { description: title } },
      textStyle: { fontFamily: 'system-ui, sans-serif' },
      grid: { left: 8, right: 16, top: 56, bottom: 56, containLabel: true },
      tooltip: { trigger: 'axis', confine: true },
      legend: { type: 'scroll', top: 0 },
    };
  }

  /** A horizontal bar chart: a fixed column for the names (a long one is cut, its tooltip shows it whole). */
  function horizontal(option) {
    option.grid = { left: 158, right: 96, top: 16, bottom: 32, containLabel: false };
    option.legend = { show: false };
    option.tooltip = { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' } };
    return option;
  }

  function zoom() {
    return [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }];
  }

  function bucketLabel(b, granularity) {
    return granularity === 'hour' ? b.slice(5, 10) + ' ' + b.slice(11, 16) : b;
  }

  function platformText() { return state.platform ? ' on ' + state.platform : ''; }

  const renderers = {
    async counts() {
      const r = range();
      const params = { from: r.from, to: r.to, granularity: state.granularity, event: state.events, platform: state.platform };
      setCsv('counts', 'counts', params);
      $('h-counts').textContent = 'Events per ' + state.granularity + ' by platform';
      if (state.events.length === 0) {
        return { empty: 'No event chosen: tick one or more events above to chart them.' };
      }
      const data = await api('counts', params);
      const total = data.series.reduce((s, x) => s + x.counts.reduce((a, b) => a + b, 0), 0);
      if (total === 0) {
        return { empty: 'No ' + state.events.join(', ') + ' events from ' + r.from + ' to ' + r.to + platformText()
            + '. Widen the range, tick other events' + (state.platform ? ', or choose All platforms.' : '.') };
      }
      const bars = data.buckets.length <= 62;
      const option = base('Events per ' + state.granularity + ' by platform');
      option.xAxis = { type: 'category', data: data.buckets.map((b) => bucketLabel(b, state.granularity)) };
      option.yAxis = { type: 'value', name: 'events', minInterval: 1 };
      option.dataZoom = zoom();
      option.series = data.series.map((s) => ({
        name: s.event + ' · ' + s.platform, type: bars ? 'bar' : 'line', data: s.counts, showSymbol: false, emphasis: { focus: 'series' },
      }));
      return { option };
    },

    async active() {
      const r = range();
      const params = { from: r.from, to: r.to, platform: state.platform };
      setCsv('active', 'active', params);
      const data = await api('active', params);
      if (data.dau.devices.every((n) => n === 0)) {
        return { empty: 'No device sent events from ' + r.from + ' to ' + r.to + platformText() + '. Widen the range.' };
      }
      const week = new Map(data.wau.buckets.map((b, i) => [b, data.wau.devices[i]]));
      const month = new Map(data.mau.buckets.map((b, i) => [b, data.mau.devices[i]]));
      const weekOf = (day) => { const d = new Date(day + 'T00:00:00Z'); return addDays(day, -((d.getUTCDay() + 6) % 7)); };
      const option = base('Active devices');
      option.xAxis = { type: 'category', data: data.dau.buckets };
      option.yAxis = { type: 'value', name: 'devices', minInterval: 1 };
      option.dataZoom = zoom();
      option.series = [
        { name: 'DAU (per day)', type: 'line', data: data.dau.devices, showSymbol: data.dau.buckets.length < 40 },
        { name: 'WAU (its ISO week)', type: 'line', step: 'middle', showSymbol: false, data: data.dau.buckets.map((d) => week.get(weekOf(d)) || 0) },
        { name: 'MAU (its month)', type: 'line', step: 'middle', showSymbol: false, lineStyle: { type: 'dashed' }, data: data.dau.buckets.map((d) => month.get(d.slice(0, 8) + '01') || 0) },
      ];
      return { option };
    },

    async funnel() {
      const r = range();
      const params = { from: r.from, to: r.to, step: state.steps, window: state.window, platform: state.platform };
      setCsv('funnel', 'funnel', params);
      if (state.steps.length < 2) {
        return { empty: 'A funnel needs two steps or more: choose them above, in order.' };
      }
      const data = await api('funnel', params);
      if (data.steps[0].devices === 0) {
        return { empty: 'No device did ' + state.steps[0] + ' from ' + r.from + ' to ' + r.to + platformText()
            + ', so the funnel is empty. Widen the range or start with another event.' };
      }
      const option = horizontal(base('Funnel'));
      option.xAxis = { type: 'value', minInterval: 1 };
      option.yAxis = { type: 'category', inverse: true, data: data.steps.map((s, i) => (i + 1) + '. ' + s.event),
        axisLabel: { width: 150, overflow: 'truncate' } };
      option.series = [{
        name: 'devices', type: 'bar', data: data.steps.map((s) => s.devices),
        label: { show: true, position: 'right', color: '#1a1a1a',
          formatter: (p) => {
            const s = data.steps[p.dataIndex];
            return NUMBER.format(s.devices) + (s.from_first === null ? '' : ' (' + (s.from_first * 100).toFixed(1) + '%)');
          } },
      }];
      return { option };
    },

    async events() {
      const r = range();
      const params = { from: r.from, to: r.to, platform: state.platform };
      setCsv('events', 'events', params);
      const data = await api('events', params);
      knownEvents = data.names;
      fillEvents();
      fillSteps();
      if (data.names.length === 0) {
        return { empty: 'No events from ' + r.from + ' to ' + r.to + platformText() + '. Widen the range.' };
      }
      const top = data.names.slice(0, 15);
      const option = horizontal(base('Events in the range'));
      option.xAxis = { type: 'value', minInterval: 1 };
      option.yAxis = { type: 'category', inverse: true, data: top.map((n) => n.name), axisLabel: { width: 150, overflow: 'truncate' } };
      option.series = [{ name: 'events', type: 'bar', data: top.map((n) => n.count) }];
      return { option };
    },

    async loads() {
      const r = range();
      const days = (new Date(r.to) - new Date(r.from)) / 86400000 + 1;
      const granularity = days <= config.max_days.hour ? 'hour' : 'day';
      const params = { from: r.from, to: r.to, granularity };
      setCsv('loads', 'loads', params);
      const data = await api('loads', params);
      const jobs = $('jobs').querySelector('tbody');
      jobs.replaceChildren();
      data.jobs.forEach((j) => {
        const tr = document.createElement('tr');
        [j.job, j.started, j.status, j.detail || ''].forEach((v) => {
          const td = document.createElement('td');
          td.textContent = v;
          tr.appendChild(td);
        });
        jobs.appendChild(tr);
      });
      $('h-loads').textContent = 'Freshness and rows loaded per ' + granularity;
      if (data.rows.every((n) => n === 0)) {
        return { empty: 'No file was loaded from ' + r.from + ' to ' + r.to + '.' };
      }
      const option = base('Rows loaded');
      option.legend = { show: false };
      option.grid.top = 24;
      option.xAxis = { type: 'category', data: data.buckets.map((b) => bucketLabel(b, granularity)) };
      option.yAxis = { type: 'value', name: 'rows', minInterval: 1 };
      option.dataZoom = zoom();
      option.series = [{ name: 'rows loaded', type: 'bar', data: data.rows }, { name: 'files', type: 'line', data: data.files, showSymbol: false }];
      return { option };
    },

    async dead() {
      setCsv('dead', 'dead-letters', {});
      const data = await api('dead-letters', {});
      const q = data.queue_error ? 'Dead-letter queue: not read (' + data.queue_error + ').'
        : 'Dead-letter queue "' + data.queue + '": ' + NUMBER.format(data.queue_visible) + ' waiting, '
          + NUMBER.format(data.queue_in_flight) + ' in flight. Replay with "eventpipe dlq replay".';
      $('dead-queue').textContent = q;
      if (data.records_error) {
        return { error: data.records_error };
      }
      const reasons = Object.keys(data.by_reason);
      if (reasons.length === 0) {
        return { empty: 'No event was rejected' + (data.replayed ? ' (' + data.replayed + ' replayed and accepted)' : '') + '.' };
      }
      const option = horizontal(base('Dead letters by reason'));
      option.tooltip = { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' },
        formatter: (ps) => {
          const p = ps[0];
          const div = document.createElement('div');
          const b = document.createElement('b');
          b.textContent = p.name + ': ' + NUMBER.format(p.value);
          const sample = document.createElement('div');
          sample.textContent = 'e.g. ' + (data.samples[p.name] || '');
          div.append(b, sample);
          return div;
        } };
      option.xAxis = { type: 'value', minInterval: 1 };
      option.yAxis = { type: 'category', inverse: true, data: reasons, axisLabel: { width: 150, overflow: 'truncate' } };
      option.series = [{ name: 'rejected', type: 'bar', data: reasons.map((k) => data.by_reason[k]) }];
      return { option };
    },
  };

  async function render(name, loading) {
    const seq = (latest[name] || 0) + 1;
    latest[name] = seq;
    const card = $('card-' + name);
    if (loading) card.querySelector('.chart').dataset.state = 'loading';
    let result;
    try {
      result = await renderers[name]();
    } catch (e) {
      result = { error: e.message };
    }
    if (seq !== latest[name]) {
      return;
    }
    // Tests (and anyone curious) can tell a finished drawing by this number.
    card.dataset.drawn = String(Number(card.dataset.drawn || 0) + 1);
    if (result.option) {
      setCard(name, 'ready', null);
      chartOf(name).setOption(result.option, true);
      // 'bench dashboard' reads these marks: time from navigation to each chart's first drawing.
      if (!performance.getEntriesByName('eventpipe:drawn:' + name).length) performance.mark('eventpipe:drawn:' + name);
    } else if (result.empty) {
      if (charts[name]) charts[name].clear();
      setCard(name, 'empty', (name !== 'dead' && noRowsYet()) || result.empty);
    } else {
      if (charts[name]) charts[name].clear();
      setCard(name, 'error', 'Could not draw this chart: ' + result.error);
    }
  }

  /** Before the first load, every chart says when data comes. */
  function noRowsYet() {
    const f = window.eventpipeFreshness;
    return f && f.files_loaded === 0 && !f.newest_arrival ? firstLoadText(f) : null;
  }

  function firstLoadText(f) {
    const when = f.load_schedule === 'continuous'
      ? ' loads follow the files as they land ([schedule] load = "continuous"), so rows come once the consumer writes its first file'
      : f.next_load ? ' the first load runs at ' + f.next_load.slice(11, 16) + ' UTC ([schedule] load = "' + f.load_schedule + '")' : '';
    return 'No events loaded yet:' + (when || ' no load has run') + '. This page updates itself when rows arrive.';
  }

  async function renderAll(loading) {
    // A new view supersedes every drawing still under way: none of them may land after this starts
    // (the charts are drawn one after another below, so an old one could otherwise come in between).
    Object.keys(renderers).forEach((name) => {
      latest[name] = (latest[name] || 0) + 1;
      if (loading) $('card-' + name).querySelector('.chart').dataset.state = 'loading';
    });
    await freshness();
    const r = range();
    try {
      const platforms = await api('platforms', { from: r.from, to: r.to });
      fillPlatforms(platforms.names);
    } catch (e) { /* the charts say what is wrong */ }
    // The events list first: the steps and event pickers are filled from it.
    await render('events', loading);
    // The seed's chart before the others: over millions of devices 'active' and 'funnel' take a second
    // or more of both cores, and asked at the same time they kept the first chart waiting for them.
    await render('counts', loading);
    await Promise.all(['active', 'funnel', 'loads', 'dead'].map((c) => render(c, loading)));
    renders++;
    document.documentElement.dataset.renders = String(renders);
  }

  async function freshness() {
    let f;
    try {
      f = await api('freshness', {});
    } catch (e) {
      $('status').textContent = e.message;
      showBanner(e.message, true);
      return null;
    }
    window.eventpipeFreshness = f;
    serverToday = f.now.slice(0, 10);
    const facts = $('freshness');
    facts.replaceChildren();
    const fact = (k, v) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      facts.append(dt, dd);
    };
    fact('Newest arrival', f.newest_arrival ? f.newest_arrival.replace('T', ' ').slice(0, 19) + ' UTC' : 'none yet');
    fact('Lag', f.lag_seconds === null ? '–' : duration(Math.max(0, f.lag_seconds)));
    fact('Last load', f.last_load ? f.last_load.replace('T', ' ').slice(0, 19) + ' UTC' : 'none yet');
    fact('Next load', f.load_schedule === 'continuous' ? 'continuous: as files land'
      : f.next_load ? f.next_load.replace('T', ' ').slice(0, 16) + ' UTC (' + f.load_schedule + ')' : '–');
    fact('Rows loaded', NUMBER.format(f.rows_loaded) + ' from ' + NUMBER.format(f.files_loaded) + ' files');
    $('status').textContent = (f.newest_arrival ? 'Newest event arrived ' + duration(Math.max(0, f.lag_seconds)) + ' ago' : 'No events loaded yet')
      + ' · ' + f.warehouse + ' · updated ' + f.now.slice(11, 19) + ' UTC' + (state.live ? ' · live' : '');
    if (f.files_loaded === 0 && !f.newest_arrival) showBanner(firstLoadText(f), false); else showBanner(null);
    return f;
  }

  function duration(s) {
    if (s === null || s === undefined) return '–';
    if (s < 90) return s + ' s';
    if (s < 5400) return Math.round(s / 60) + ' min';
    if (s < 172800) return (s / 3600).toFixed(1) + ' h';
    return (s / 86400).toFixed(1) + ' days';
  }

  function showBanner(text, error) {
    const b = $('banner');
    b.hidden = !text;
    b.textContent = text || '';
    b.classList.toggle('error', !!error);
  }

  // ---------- live refresh ----------

  function schedule() {
    if (liveTimer) clearInterval(liveTimer);
    liveTimer = state.live ? setInterval(tick, refreshSeconds() * 1000) : null;
  }

  async function tick() {
    const before = lastLoadSeen;
    const f = await freshness();
    if (!f) return;
    const now = f.last_load + '|' + f.files_loaded;
    if (now !== before) {
      lastLoadSeen = now;
      await renderAll(false);
    }
  }

  // ---------- start ----------

  async function start() {
    try {
      config = await api('config', {});
    } catch (e) {
      showBanner(e.message, true);
      $('status').textContent = 'Not connected';
      return;
    }
    if (config.static_report) {
      const a = document.createElement('a');
      a.href = config.static_report;
      a.textContent = 'the static report (PNG/SVG)';
      $('static-link').append(', ', a);
    }
    readUrl();
    // On a phone the filters fold away under their summary line, so the first chart is on the first screen.
    if (window.matchMedia('(max-width: 600px)').matches) $('filters').open = false;
    const f = await freshness();
    lastLoadSeen = f ? f.last_load + '|' + f.files_loaded : null;
    setControls();
    writeUrl(false);
    bindControls();
    new ResizeObserver(() => Object.values(charts).forEach((c) => c.resize())).observe($('charts'));
    await renderAll(true);
    schedule();
  }

  start();
})();
