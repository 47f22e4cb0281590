"""The coordinator's web page: server-rendered pages in Polish (Jinja2), a little
JavaScript calling the JSON API with the log-in token, Leaflet served by Trasa itself.

`router` has the pages and the JSON the page needs beyond the API (the streets under the
map, the day view's timeline, KPIs and left-out tasks, the sweeps list); `mount_static`
serves the page's own files and Leaflet's (from the `xstatic-leaflet` package)."""
