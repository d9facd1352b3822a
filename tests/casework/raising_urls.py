"""The app's URLs plus two views for the error-page tests: one that answers plainly and one
that crashes, with the app's own error handlers."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as app_urlpatterns


def plain(request):
    return HttpResponse("plain")


def crash(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("test-plain/", plain), path("test-crash/", crash), *app_urlpatterns]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
