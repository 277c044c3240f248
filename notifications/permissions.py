"""Policy of the notifications app: a message belongs to its recipient and nobody else."""


class NotificationPolicy:
    def visible_to(self, user, queryset):
        if not user.is_authenticated:
            return queryset.none()
        return queryset.filter(recipient=user)

    def can(self, user, action, obj=None) -> bool:
        return bool(user.is_authenticated and obj is not None and obj.recipient_id == user.pk)


policy = NotificationPolicy()
