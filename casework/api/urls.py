from rest_framework.routers import SimpleRouter

from casework.api.views import DossierViewSet, PersonViewSet, SignalViewSet

router = SimpleRouter()
router.register("signals", SignalViewSet, basename="signal")
router.register("dossiers", DossierViewSet, basename="dossier")
router.register("persons", PersonViewSet, basename="person")
urlpatterns = router.urls
