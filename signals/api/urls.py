from rest_framework.routers import SimpleRouter

from signals.api.views import SignalViewSet

router = SimpleRouter()
router.register("signals", SignalViewSet, basename="signal")
urlpatterns = router.urls
