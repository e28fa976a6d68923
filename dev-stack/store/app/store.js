/* global document, window, fetch, URLSearchParams, location */
/*
 * The stand-in's Store, INSTALL intent only (cozy-store's manifest: INSTALL on io.cozy.apps at
 * /intents, data ["slug"]). Service side of the intent protocol of docs/intents.md, as
 * cozy-client-js's intents service does it: GET /intents/:id, post "intent-<id>:ready" to the
 * client's origin, take the client's data ({slug}), let the user install, then post
 * "intent-<id>:done" with the installed konnector (or ":cancel" / ":error").
 */
(function () {
  var root = document.querySelector('[role=application]')
  var cozy = JSON.parse(root.getAttribute('data-cozy'))
  var fr = (cozy.locale || 'fr').slice(0, 2) !== 'en'
  var T = fr
    ? { title: 'Installer un connecteur', ask: 'Installer le connecteur «\u202f%s\u202f» depuis le Store\u202f?', install: 'Installer', cancel: 'Annuler', installing: 'Installation…', failed: 'L’installation a échoué\u202f: %s' }
    : { title: 'Install a connector', ask: 'Install the connector "%s" from the Store?', install: 'Install', cancel: 'Cancel', installing: 'Installing…', failed: 'The installation failed: %s' }
  var api = 'http://' + cozy.domain
  var $ = function (id) { return document.getElementById(id) }
  $('title').textContent = T.title

  function call(method, path) {
    // the app token of index.html is bound to the session: send its cookie (as cozy-client does)
    return fetch(api + path, { method: method, credentials: 'include', headers: { Authorization: 'Bearer ' + cozy.token, Accept: 'application/vnd.api+json' } }).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) throw new Error((body.errors && body.errors[0] && body.errors[0].detail) || String(res.status))
        return body
      })
    })
  }

  var intentId = new URLSearchParams(location.search).get('intent')
  call('GET', '/intents/' + encodeURIComponent(intentId)).then(function (body) {
    var client = body.data.attributes.client
    var send = function (message) { window.parent.postMessage(message, client) }
    var prefix = 'intent-' + body.data.id + ':'
    window.addEventListener('message', function onData(event) {
      if (event.origin !== client) return
      window.removeEventListener('message', onData)
      var slug = event.data && event.data.slug
      $('message').textContent = T.ask.replace('%s', slug)
      var install = $('install')
      var cancel = $('cancel')
      install.textContent = T.install
      cancel.textContent = T.cancel
      install.hidden = false
      cancel.hidden = false
      cancel.onclick = function () { send({ type: prefix + 'cancel' }) }
      install.onclick = function () {
        install.disabled = true
        cancel.disabled = true
        $('message').textContent = T.installing
        // web/apps/apps.go installHandler: POST /konnectors/:slug?Source=registry://<slug>/stable
        call('POST', '/konnectors/' + encodeURIComponent(slug) + '?Source=' + encodeURIComponent('registry://' + slug + '/stable')).then(
          function (installed) { send({ type: prefix + 'done', document: Object.assign({ id: installed.data.id }, installed.data.attributes) }) },
          function (err) {
            $('message').textContent = T.failed.replace('%s', err.message)
            $('message').setAttribute('role', 'alert')
            send({ type: prefix + 'error', error: { type: 'Error', message: err.message } })
          }
        )
      }
    })
    send({ type: prefix + 'ready' })
  }).catch(function (err) {
    $('message').textContent = T.failed.replace('%s', err.message)
    $('message').setAttribute('role', 'alert')
  })
})()
