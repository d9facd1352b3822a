from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from advocacy.dashboard import dashboard_context


@login_required
def dashboard(request):
    return render(request, "advocacy/dashboard.html", dashboard_context(user=request.user))
