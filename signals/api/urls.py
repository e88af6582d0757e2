from rest_framework.routers import SimpleRouter

from signals.api.casework import DossierViewSet, PersonViewSet
from signals.api.views import SignalViewSet

router = SimpleRouter()
router.register("signals", SignalViewSet, basename="signal")
router.register("dossiers", DossierViewSet, basename="dossier")
router.register("persons", PersonViewSet, basename="person")
urlpatterns = router.urls
