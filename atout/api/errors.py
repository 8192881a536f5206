from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Schema


class Error(Schema):
    detail: str
    code: str


def error_response(request: HttpRequest, status: int, detail: str, code: str) -> HttpResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status)
