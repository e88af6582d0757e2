from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.personas import PASSWORD, current_code


def test_an_analyst_enrols_an_authenticator_and_reaches_the_register(page, live_server,
                                                                   transactional_db):
    TOTPDevice.objects.filter(user__username="analyst.om").delete()  # a first login
    page.goto(f"{live_server.url}/signals/paper/")
    page.get_by_label("Gebruikersnaam").fill("analyst.om")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    expect(page.locator("svg.qr")).to_be_visible()
    device = TOTPDevice.objects.get(user__username="analyst.om", confirmed=False)
    page.get_by_label("Eenmalige code").fill(current_code(device))
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/signals/paper/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
