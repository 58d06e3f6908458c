"""/api/v1/knowledge/articles/: search the published knowledge base (`?q=`, `?category=`) and read
an article (Markdown rendered safely). Writing and review happen on the pages."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from complaints.api.serializers import UnitRefSerializer
from complaints.models import Category
from core.api_base import LANG_PARAM, READ_ERRORS, ApiView, check_id
from core.errors import NotFound

from . import selectors
from .markdown import render

TAG = "95598知识库"


class ArticleQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="搜索词(中文按词/句均可)")
    category = serializers.SlugRelatedField(slug_field="code", queryset=Category.objects.all(), required=False,
                                            help_text="投诉分类编码：与之关联的文章优先")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=50, default=10, help_text="条数")


class ArticleHitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="article.id", help_text="文章编号")
    title = serializers.CharField(source="article.title", help_text="标题")
    title_html = serializers.CharField(help_text="标题，匹配处以 <mark> 标出(已转义)")
    snippet_html = serializers.CharField(help_text="正文摘要，匹配处以 <mark> 标出(已转义)")
    score = serializers.FloatField(help_text="相关度")
    tags = serializers.CharField(source="article.tags", help_text="标签")
    use_count = serializers.IntegerField(source="article.use_count", help_text="使用次数")


class ArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="文章编号")
    title = serializers.CharField(help_text="标题")
    body = serializers.CharField(help_text="正文(Markdown 源文)")
    body_html = serializers.SerializerMethodField(help_text="正文 HTML(安全渲染，不含原始 HTML)")
    tags = serializers.CharField(help_text="标签")
    owner_unit = UnitRefSerializer(help_text="维护单位")
    effective_from = serializers.DateField(allow_null=True, help_text="生效日期")
    expires_on = serializers.DateField(allow_null=True, help_text="失效日期")
    use_count = serializers.IntegerField(help_text="使用次数")

    def get_body_html(self, obj) -> str:
        return str(render(obj.body))


class ArticleListApi(ApiView):
    @extend_schema(tags=[TAG], summary="搜索知识库", operation_id="knowledge_articles_list",
                   description="已发布且在有效期内的文章，按相关度排序，带高亮。无 q 时按 category 列出该分类的文章。",
                   parameters=[ArticleQuerySerializer, LANG_PARAM],
                   responses={200: ArticleHitSerializer(many=True), **READ_ERRORS})
    def get(self, request):
        params = ArticleQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        category = d.get("category")
        hits = selectors.article_search(d.get("q", ""), category_id=category.pk if category else None,
                                        limit=d["limit"])
        return Response(ArticleHitSerializer(hits, many=True).data)


class ArticleDetailApi(ApiView):
    @extend_schema(tags=[TAG], summary="知识库文章", operation_id="knowledge_articles_retrieve",
                   parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                                description="文章编号"), LANG_PARAM],
                   responses={200: ArticleSerializer, **READ_ERRORS})
    def get(self, request, pk):
        article = selectors.searchable().select_related("owner_unit").filter(pk=check_id(pk)).first()
        if article is None:
            raise NotFound("文章不存在或未发布")
        return Response(ArticleSerializer(article).data)
