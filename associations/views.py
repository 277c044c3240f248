from django.shortcuts import get_object_or_404, render

from .models import Association


def public_detail(request, code):
    """Public page of an association: introduction and admission standard."""
    association = get_object_or_404(
        Association.objects.select_related("art_category").exclude(
            status=Association.Status.DISSOLVED
        ),
        code=code,
    )
    return render(request, "associations/public_detail.html", {"association": association})
