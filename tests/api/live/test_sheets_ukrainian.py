"""Issue 30, deliverable 6: a worker who chose Ukrainian (`PATCH /auth/me`) reads their
route sheet (PDF, HTML, CSV), day calendar and subscribed calendar in Ukrainian, whoever
fetches them (a coordinator prints the sheet the worker reads); `?lang=pl` asks for
Polish. The PDF is a real one, read back: its Cyrillic words are extracted."""

from __future__ import annotations

import httpx
from icalendar import Calendar

from tests.api.live.jobs import plan_day
from tests.api.pdf_text import pdf_text

DAY = "2027-06-09"  # a Wednesday, in the server's subscribed calendars (today 2027-06-01)


def test_a_ukrainian_worker_reads_sheets_and_calendars_in_ukrainian(
        coordinator: httpx.Client, worker: httpx.Client, anna: list[str]) -> None:
    plan_id = plan_day(coordinator, DAY, "w-anna", anna)
    assert coordinator.post(f"/plans/{plan_id}/publish").status_code == 200
    sheet_url = f"/days/{DAY}/workers/w-anna/sheet"
    polish = pdf_text(worker.get(sheet_url).content)
    assert "Karta trasy" in polish and "wizyta" in polish and "Маршрутний" not in polish

    assert worker.patch("/auth/me", json={"language": "uk"}).status_code == 200
    try:
        for reader in (worker, coordinator):
            pdf = reader.get(sheet_url)
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
            text = pdf_text(pdf.content)
            for word in ("Маршрутний лист", "середа", "09.06.2027", "візит", "Прибуття",
                         "Від–до", "Клієнт, адреса, телефон", "Повернення", " км, ",
                         " хв", "сторінка 1 з 1"):
                assert word in text, (word, text[:400])
            assert "Karta trasy" not in text and "wizyta" not in text
            for client_id in anna:
                assert f"Zofia Wąsowska {client_id}" in text  # names stay as written
        asked = pdf_text(coordinator.get(sheet_url, params={"lang": "pl"}).content)
        assert "Karta trasy" in asked and "Маршрутний" not in asked
        assert coordinator.get(sheet_url, params={"lang": "de"}).status_code == 422

        html = worker.get(sheet_url, params={"format": "html"}).text
        assert '<html lang="uk">' in html and "Маршрутний лист" in html
        csv = worker.get(sheet_url, params={"format": "csv"}).content.decode("utf-8-sig")
        assert csv.splitlines()[0].startswith("день;працівник;№;що;заявка;вікно;прибуття")
        assert csv.count("візит") == len(anna)

        day_ics = Calendar.from_ical(worker.get(f"/days/{DAY}/workers/w-anna/calendar").content)
        visits = [e for e in day_ics.walk("VEVENT") if "візит" in str(e["summary"])]
        assert len(visits) == len(anna)
        assert all("Прибуття:" in str(e["description"]) for e in visits)
        feed = httpx.get(worker.get("/workers/w-anna/calendar-link").json()["url"])
        assert feed.status_code == 200
        summaries = {str(e["summary"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")}
        assert {str(e["summary"]) for e in visits} <= summaries

        page = httpx.get(f"{worker.base_url}/app/moj-dzien", params={"lang": "uk"}).text
        assert '<html lang="uk">' in page and "Мій день" in page and "Мова" in page
    finally:
        assert worker.patch("/auth/me", json={"language": "pl"}).status_code == 200
    again = pdf_text(worker.get(sheet_url).content)
    assert "Karta trasy" in again  # the worker's choice, not a leftover of the reading's
